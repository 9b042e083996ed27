import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/durable/outbox';

class FakeSocket {
  sent: string[] = [];
  send(data: string) {
    this.sent.push(data);
  }
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('Outbox', () => {
  it('sends a lone frame at the end of the task, unwrapped', async () => {
    const box = new Outbox<FakeSocket>(50);
    const s = new FakeSocket();
    box.push([s], '{"type":"a"}');
    expect(s.sent).toEqual([]);
    await tick();
    expect(s.sent).toEqual(['{"type":"a"}']);
  });

  it('coalesces frames arriving within the window into one batch per socket, in order', async () => {
    const box = new Outbox<FakeSocket>(30);
    const [s1, s2] = [new FakeSocket(), new FakeSocket()];
    box.push([s1, s2], '{"n":1}');
    await tick();
    box.push([s1, s2], '{"n":2}');
    box.push([s1], '{"n":3}');
    await tick();
    expect(s1.sent).toEqual(['{"n":1}']);
    await tick(40);
    expect(s1.sent).toEqual(['{"n":1}', '{"type":"batch","frames":[{"n":2},{"n":3}]}']);
    expect(s2.sent).toEqual(['{"n":1}', '{"n":2}']);
    expect(JSON.parse(s1.sent[1]!)).toEqual({ type: 'batch', frames: [{ n: 2 }, { n: 3 }] });
  });

  it('reports a socket whose send throws and still serves the others', async () => {
    const failed: unknown[] = [];
    const box = new Outbox<FakeSocket>(10, (s) => failed.push(s));
    const bad = {
      send: () => {
        throw new Error('closed');
      },
    } as unknown as FakeSocket;
    const good = new FakeSocket();
    box.push([bad, good], '{}');
    await tick();
    expect(failed).toEqual([bad]);
    expect(good.sent).toEqual(['{}']);
  });
});
