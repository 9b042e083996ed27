import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_BATCH, Outbox } from '../../src/durable/outbox';

class FakeSocket {
  sent: string[] = [];
  send(data: string) {
    this.sent.push(data);
  }
}

// The periods are timers: faked, so a loaded machine cannot stretch a test's steps past them.
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe('Outbox', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends at the end of the task, unwrapped, while under the frame budget', async () => {
    const box = new Outbox<FakeSocket>({ framesPerSecond: 1000, periodMs: 10 }); // 10 frames per 10 ms
    const s = new FakeSocket();
    box.push([s], '{"n":1}');
    expect(s.sent).toEqual([]);
    await tick();
    box.push([s], '{"n":2}');
    await tick();
    expect(s.sent).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('over budget, holds frames and sends one batch per socket, in order', async () => {
    // 3 frames per 40 ms period: the second broadcast to two sockets waits for the period's end.
    const box = new Outbox<FakeSocket>({ framesPerSecond: 75, periodMs: 40 });
    const [s1, s2] = [new FakeSocket(), new FakeSocket()];
    box.push([s1, s2], '{"n":1}');
    await tick();
    box.push([s1, s2], '{"n":2}');
    box.push([s1], '{"n":3}');
    await tick(5);
    expect(s1.sent).toEqual(['{"n":1}']);
    await tick(60);
    expect(s1.sent).toEqual(['{"n":1}', '{"type":"batch","frames":[{"n":2},{"n":3}]}']);
    expect(s2.sent).toEqual(['{"n":1}', '{"n":2}']);
    expect(JSON.parse(s1.sent[1]!)).toEqual({ type: 'batch', frames: [{ n: 2 }, { n: 3 }] });
  });

  it("lets a burst of up to `burstPeriods` periods' share go at once, then holds the rest for the period's end", async () => {
    // 4 frames per 40 ms period, bursts of 12: six broadcasts to two sockets go at once (a
    // burst no single period allows), the seventh waits until a period's share comes back.
    const box = new Outbox<FakeSocket>({ framesPerSecond: 100, periodMs: 40, burstPeriods: 3 });
    const [s1, s2] = [new FakeSocket(), new FakeSocket()];
    for (let n = 1; n <= 6; n += 1) {
      box.push([s1, s2], `{"n":${n}}`);
      await tick();
    }
    expect(s1.sent).toHaveLength(6);
    expect(s2.sent).toHaveLength(6);
    box.push([s1, s2], '{"n":7}');
    await tick(5);
    expect(s1.sent).toHaveLength(6);
    await tick(60);
    expect(s1.sent.at(-1)).toBe('{"n":7}');
    expect(s2.sent.at(-1)).toBe('{"n":7}');
  });

  it("over budget, sends a socket's queue once it holds MAX_BATCH frames, without the period's timer", async () => {
    // One frame per 10 s period: only a full batch can leave before the timer.
    const box = new Outbox<FakeSocket>({ framesPerSecond: 0.1, periodMs: 10_000 });
    const s = new FakeSocket();
    box.push([s], '{"n":0}');
    await tick();
    expect(s.sent).toHaveLength(1);
    for (let n = 1; n < MAX_BATCH; n += 1) box.push([s], `{"n":${n}}`);
    await tick();
    expect(s.sent).toHaveLength(1);
    box.push([s], `{"n":${MAX_BATCH}}`);
    expect(s.sent).toHaveLength(2);
    const batch = JSON.parse(s.sent[1]!) as { frames: { n: number }[] };
    expect(batch.frames.map((f) => f.n)).toEqual(
      Array.from({ length: MAX_BATCH }, (_, i) => i + 1),
    );
  });

  it('gives each socket exactly its own frames when batches are shared between sockets', async () => {
    const box = new Outbox<FakeSocket>({ framesPerSecond: 0.1, periodMs: 10_000 });
    const [a, b, c, d] = [new FakeSocket(), new FakeSocket(), new FakeSocket(), new FakeSocket()];
    box.push([a, b, c, d], '{"n":0}');
    await tick();
    box.push([a, b, c, d], '{"n":1}');
    box.push([c], '{"ack":1}');
    box.push([a, b, c], '{"n":2}');
    box.push([d], '{"n":2}');
    box.flush();
    const second = (s: FakeSocket) => (JSON.parse(s.sent[1]!) as { frames: unknown[] }).frames;
    expect(second(a)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(second(b)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(second(c)).toEqual([{ n: 1 }, { ack: 1 }, { n: 2 }]);
    expect(second(d)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('always lets a quiet room reach every socket at once, however many there are', async () => {
    const box = new Outbox<FakeSocket>({ framesPerSecond: 10, periodMs: 100 });
    const sockets = Array.from({ length: 50 }, () => new FakeSocket());
    box.push(sockets, '{}');
    await tick();
    expect(sockets.every((s) => s.sent.length === 1)).toBe(true);
  });

  it('reports a socket whose send throws and still serves the others', async () => {
    const failed: unknown[] = [];
    const box = new Outbox<FakeSocket>({ framesPerSecond: 1000, periodMs: 10 }, (s) =>
      failed.push(s),
    );
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

  it('drops a socket that falls more than the bound behind its receipts, and only that one', async () => {
    const dropped: [unknown, string][] = [];
    const box = new Outbox<FakeSocket>(
      { framesPerSecond: 1000, periodMs: 10 },
      (s, why) => dropped.push([s, why]),
      25,
    );
    const slow = new FakeSocket();
    const reading = new FakeSocket();
    const frame = `{"t":"${'x'.repeat(4)}"}`; // 12 characters
    for (let i = 0; i < 3; i += 1) {
      box.push([slow, reading], frame);
      box.flush();
      box.received(reading, frame.length);
    }
    // 36 unacknowledged characters > 25: the fourth frame finds `slow` over the bound.
    box.push([slow, reading], frame);
    box.flush();
    expect(dropped).toEqual([[slow, 'too_slow']]);
    expect(slow.sent).toHaveLength(3);
    expect(reading.sent).toHaveLength(4);
  });

  it('always sends the first frame after a receipt, however large (a whole replay)', async () => {
    const dropped: unknown[] = [];
    const box = new Outbox<FakeSocket>(
      { framesPerSecond: 1000, periodMs: 10 },
      (s) => dropped.push(s),
      25,
    );
    const socket = new FakeSocket();
    box.push([socket], `"${'x'.repeat(100)}"`);
    box.flush();
    expect(socket.sent).toHaveLength(1);
    box.received(socket, 102);
    box.push([socket], '{}');
    box.flush();
    expect(socket.sent).toHaveLength(2);
    expect(dropped).toEqual([]);
  });
});
