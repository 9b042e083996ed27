import { describe, expect, it } from 'vitest';
import { closeReason } from '../../src/durable/connections';

const bytes = (s: string) => new TextEncoder().encode(s).length;

describe('closeReason', () => {
  it('keeps a sentence that fits, and cuts a longer one at a whole character within 123 bytes', () => {
    expect(closeReason('You are banned from this room')).toBe('You are banned from this room');
    const long = 'é'.repeat(100); // 200 bytes
    expect(bytes(closeReason(long))).toBe(122);
    const emoji = '👋'.repeat(40); // 4 bytes each: 30 fit
    expect(closeReason(emoji)).toBe('👋'.repeat(30));
    // A socket takes it: close() throws on a reason over 123 bytes.
    const { 0: client, 1: server } = new WebSocketPair();
    server.accept();
    client.accept();
    expect(() => server.close(1000, closeReason('x'.repeat(500)))).not.toThrow();
    expect(() => new WebSocketPair()[1].close(1000, 'x'.repeat(124))).toThrow();
  });
});
