import { describe, expect, it } from 'vitest';
import { InOrder } from '../../src/durable/in-order';

describe('InOrder', () => {
  it('runs a key’s tasks in arrival order even when an earlier one waits', async () => {
    const order = new InOrder<string>();
    const done: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = order.run('ws', async () => {
      await gate;
      done.push('first');
    });
    const second = order.run('ws', async () => {
      done.push('second');
    });
    const other = order.run('other socket', async () => {
      done.push('other');
    });
    await other;
    expect(done).toEqual(['other']);
    release();
    await Promise.all([first, second]);
    expect(done).toEqual(['other', 'first', 'second']);
  });

  it('starts a task at once, synchronously, when nothing of its key is pending', () => {
    const order = new InOrder<string>();
    let ran = false;
    void order.run('ws', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });

  it('runs the next task after one that failed', async () => {
    const order = new InOrder<string>();
    const failed = order.run('ws', async () => {
      throw new Error('boom');
    });
    const next = order.run('ws', async () => 'ok' as never);
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
