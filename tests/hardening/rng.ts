/**
 * A seeded PRNG (mulberry32) so a failing chaos or fuzz run replays its decisions exactly:
 * every run prints its seed, and PARLOR_SEED=<seed> reuses it. Timing (the server's and the
 * network's) is not replayed, only what the test chose to do and when.
 */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += this.int(0, 15).toString(16);
    return out;
  }

  /** An independent stream for one actor, so actors' choices do not depend on each other's. */
  fork(label: string): Rng {
    let h = this.seed ^ 0x9e3779b9;
    for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    return new Rng(h >>> 0);
  }
}

/** The run's seed: PARLOR_SEED if set, else a fresh one; printed either way. */
export function runRng(suite: string): Rng {
  const given = process.env.PARLOR_SEED;
  const seed = given ? Number(given) >>> 0 : Math.floor(Math.random() * 2 ** 32);
  console.log(`[hardening] ${suite}: seed ${seed} (replay with PARLOR_SEED=${seed})`);
  return new Rng(seed);
}

/** PARLOR_SOAK=1 runs each fault phase this many times longer. */
export const SOAK = process.env.PARLOR_SOAK === '1' ? 8 : 1;
