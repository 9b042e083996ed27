/**
 * The room's setting changes (room.ts `changeSetting`), one step at a time: a step writes D1,
 * appends each change's notice in the room's order, then tells members' hub shards, and the
 * next step starts only when it has finished — so D1, the room's own state and every
 * client's last notice agree on which change came last.
 *
 * Changes that arrive while a step is in flight wait and then go together as the next step
 * (group commit): one D1 batch with every change's writes in arrival order, the notices in
 * the same order, the hub calls of different people in parallel. A storm of joins to a
 * popular room thus costs a few D1 round trips instead of one each, and a lone change waits
 * for nothing. A D1 batch is one transaction, so one change whose write fails (a rename to a
 * taken name) would fail its companions: the step then writes each change on its own, and
 * only the failing one gets the error.
 */
import type { SettingWrite } from './room';

/** More than this many queued changes wait for the step after. */
const MAX_CHANGES_PER_STEP = 50;

export interface SettingStep<T> {
  writes: SettingWrite[];
  /**
   * Given the first write's result (and every write's, in order): the change's notice
   * (null: nothing to announce).
   */
  announce(first: D1Result, all: D1Result[]): Promise<T>;
  /** A member whose hub shard follows the change, after every notice of the step. */
  hub?: { userId: string; tell(): Promise<void> };
}

type Written = { ok: true; results: D1Result[] } | { ok: false; reason: unknown };

interface Queued {
  step: SettingStep<unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

export class SettingSteps {
  /**
   * Since the object started: steps run, changes they carried, and steps whose shared batch
   * failed so that each change was written alone (getStats; tests read them).
   */
  readonly stats = { steps: 0, changes: 0, alone: 0 };
  private readonly queue: Queued[] = [];
  private running = false;

  constructor(private readonly db: () => D1Database) {}

  run<T>(step: SettingStep<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ step, resolve: resolve as (value: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_CHANGES_PER_STEP);
        this.stats.steps += 1;
        this.stats.changes += group.length;
        // runGroup settles each change itself; this is for a fault in it, not in a change.
        await this.runGroup(group).catch((reason) => group.forEach((q) => q.reject(reason)));
      }
    } finally {
      this.running = false;
    }
  }

  private async runGroup(group: Queued[]): Promise<void> {
    const written = await this.write(group);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; reason: unknown })[] = [];
    for (const [i, { step }] of group.entries()) {
      const change = written[i]!;
      if (!change.ok) outcomes.push(change);
      else {
        try {
          const [first] = change.results;
          outcomes.push({ ok: true, value: await step.announce(first!, change.results) });
        } catch (reason) {
          outcomes.push({ ok: false, reason });
        }
      }
    }
    // One person's hub calls keep the changes' order (a join then a leave); different people's
    // go at once. Only announced changes move a hub.
    const byUser = new Map<string, number[]>();
    for (const [i, { step }] of group.entries()) {
      const outcome = outcomes[i]!;
      if (!step.hub || !outcome.ok || outcome.value === null) continue;
      byUser.set(step.hub.userId, [...(byUser.get(step.hub.userId) ?? []), i]);
    }
    await Promise.all(
      [...byUser.values()].map(async (indexes) => {
        for (const i of indexes) {
          try {
            await group[i]!.step.hub!.tell();
          } catch (reason) {
            outcomes[i] = { ok: false, reason };
          }
        }
      }),
    );
    for (const [i, queued] of group.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) queued.resolve(outcome.value);
      else queued.reject(outcome.reason);
    }
  }

  /** Each change's write results, or why its writes failed. */
  private async write(group: Queued[]): Promise<Written[]> {
    try {
      const results = await this.batch(group.flatMap((q) => q.step.writes));
      let at = 0;
      return group.map((q) => {
        const mine = results.slice(at, at + q.step.writes.length);
        at += q.step.writes.length;
        return { ok: true as const, results: mine };
      });
    } catch (reason) {
      if (group.length === 1) return [{ ok: false, reason }];
    }
    this.stats.alone += 1;
    const outcomes: Written[] = [];
    for (const q of group) {
      try {
        outcomes.push({ ok: true, results: await this.batch(q.step.writes) });
      } catch (reason) {
        outcomes.push({ ok: false, reason });
      }
    }
    return outcomes;
  }

  private batch(writes: SettingWrite[]): Promise<D1Result[]> {
    const db = this.db();
    return db.batch(writes.map((w) => db.prepare(w.sql).bind(...w.params)));
  }
}
