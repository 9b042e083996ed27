import { describe, expect, it, vi } from 'vitest';
import type { ClientFrame } from '../../src/shared/protocol';
import { createOutbox } from '../../src/web/conversation/outbox';
import { createTimeline } from '../../src/web/conversation/timeline';

const sentIds = (frames: ClientFrame[]) => frames.map((f) => (f.type === 'send' ? f.text : f.type));

describe('client outbox', () => {
  it('sends again by itself, in order, after a rate limit; nothing is left failed', async () => {
    const frames: ClientFrame[] = [];
    const box = createOutbox((f) => (frames.push(f), true));
    for (let i = 1; i <= 12; i++) box.send(`m${i}`);
    expect(sentIds(frames)).toEqual(Array.from({ length: 12 }, (_, i) => `m${i + 1}`));
    // The room took m1..m10 and refused m11 and m12 as too fast.
    for (const item of box.items.value.slice(0, 10)) box.ack(item.clientId);
    box.limited(20);
    box.limited(20);
    frames.length = 0;
    box.send('m13'); // written while waiting: queued behind the others
    expect(frames).toEqual([]);
    await vi.waitFor(() => expect(sentIds(frames)).toEqual(['m11', 'm12', 'm13']));
    expect(box.items.value.map((m) => [m.text, m.status])).toEqual([
      ['m11', 'pending'],
      ['m12', 'pending'],
      ['m13', 'pending'],
    ]);
    box.dispose();
  });

  it('resends with the same clientIds', async () => {
    const frames: ClientFrame[] = [];
    const box = createOutbox((f) => (frames.push(f), true));
    box.send('once');
    box.limited(1);
    await vi.waitFor(() => expect(frames).toHaveLength(2));
    expect(frames[0]).toEqual(frames[1]);
    box.dispose();
  });
});

describe('client timeline', () => {
  const message = (seq: number) => ({
    type: 'message' as const,
    seq,
    message: {
      id: `id${seq}`,
      roomId: 'r',
      seq,
      author: { id: 'u', name: 'U', color: '#123456', guest: false },
      text: `t${seq}`,
      createdAt: seq,
      editedAt: null,
      deleted: false,
      replyTo: null,
      reactions: [],
    },
  });

  it('knows an event that skips a seq from the next one', () => {
    const timeline = createTimeline();
    timeline.reset([message(1).message, message(2).message], 3);
    expect(timeline.skipsAhead(message(4))).toBe(false);
    expect(timeline.skipsAhead(message(5))).toBe(true);
    expect(timeline.skipsAhead(message(3))).toBe(false);
    timeline.apply(message(4));
    expect(timeline.skipsAhead(message(5))).toBe(false);
    expect(timeline.skipsAhead(message(6))).toBe(true);
  });

  it('checks the first event of an empty room too', () => {
    const timeline = createTimeline();
    timeline.reset([], 0);
    expect(timeline.skipsAhead(message(1))).toBe(false);
    expect(timeline.skipsAhead(message(2))).toBe(true);
  });
});
