/**
 * Login throttling per username key (known or not): after a few failures each further
 * attempt must wait longer, and after many the name is locked for a while. Keyed by name so
 * an unknown user and a wrong password look the same from outside.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from './context';
import { loginAttempts } from './db/schema';
import { ApiError } from './errors';

export const FREE_FAILURES = 3;
export const LOCK_AFTER = 10;
export const LOCK_MS = 15 * 60 * 1000;

/** Throws 429 with Retry-After while the name is slowed down or locked. */
export async function assertNotThrottled(db: Db, key: string, now = Date.now()): Promise<void> {
  const row = await db.query.loginAttempts.findFirst({ where: eq(loginAttempts.usernameKey, key) });
  if (row && row.lockedUntil > now) {
    const seconds = Math.ceil((row.lockedUntil - now) / 1000);
    throw new ApiError(
      429,
      'too_many_attempts',
      `Too many failed sign-ins; try again in ${seconds} s`,
      undefined,
      seconds,
    );
  }
}

/** Delay imposed after the n-th consecutive failure. */
export function penaltyMs(failures: number): number {
  if (failures >= LOCK_AFTER) return LOCK_MS;
  if (failures < FREE_FAILURES) return 0;
  return 1000 * 2 ** (failures - FREE_FAILURES);
}

export async function recordFailure(db: Db, key: string, now = Date.now()): Promise<void> {
  const [row] = await db
    .insert(loginAttempts)
    .values({ usernameKey: key, failures: 1, lockedUntil: 0, updatedAt: now })
    .onConflictDoUpdate({
      target: loginAttempts.usernameKey,
      set: { failures: sql`${loginAttempts.failures} + 1`, updatedAt: now },
    })
    .returning();
  const penalty = penaltyMs(row!.failures);
  if (penalty > 0) {
    await db
      .update(loginAttempts)
      .set({ lockedUntil: now + penalty })
      .where(eq(loginAttempts.usernameKey, key));
  }
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.usernameKey, key));
}
