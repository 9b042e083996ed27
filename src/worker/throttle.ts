/**
 * Sign-in throttling. Three limits, each checked before any password is hashed:
 *
 * 1. Per name and client: every attempt is first reserved with one atomic statement that
 *    counts it as a failure and sets when the next one may come (free for FREE_FAILURES,
 *    then 1 s, 2 s, 4 s… up to MAX_PENALTY_MS). Parallel guesses therefore cannot all be
 *    checked: the statement runs inside SQLite's single writer, so after FREE_FAILURES
 *    reservations the rest are refused. A success deletes the row. Keyed by client too, so
 *    a stranger's failures slow down only the stranger, never the owner elsewhere.
 * 2. Per client, across names: a token bucket of sign-in attempts in `rate_buckets`; a
 *    success gives its token back, so what it counts is failures. (A client is an IPv4
 *    address or an IPv6 /64: `clientKey`.)
 * 3. Per name, across clients: a bucket of NAME_FAILURES, so guesses spread over many
 *    addresses (a botnet) still get a bounded number of tries at one account. It can slow
 *    the owner down while someone hammers their name from many places; a reset by mail is
 *    not throttled by it, and the owner's own success gives its token back.
 * 4. Per isolate: `hashGate` (see `hash-gate.ts`) bounds concurrent password hashing.
 *
 * Unknown names are throttled exactly like known ones, so the answers do not tell them apart.
 */
import { eq } from 'drizzle-orm';
import type { Db } from './context';
import { loginAttempts } from './db/schema';
import { ApiError } from './errors';
import { spendOrThrow, takeToken, type Bucket } from './rate-buckets';

export const FREE_FAILURES = 3;
export const MAX_PENALTY_MS = 15 * 60 * 1000;
/** Failures older than this are forgotten at the next attempt. */
const FORGET_AFTER_MS = 24 * 3600 * 1000;
/** 20 failed sign-ins per client at once, then one more every 3 minutes (20 an hour). */
export const CLIENT_FAILURES: Bucket = { burst: 20, perSecond: 1 / 180 };

/** 100 failed sign-ins for one name from anywhere at once, then 100 an hour. */
export const NAME_FAILURES: Bucket = { burst: 100, perSecond: 100 / 3600 };

/** The `login_attempts` row key: the name's key and the client asking. */
export function attemptKey(nameKey: string, client: string): string {
  return `${client}\n${nameKey}`;
}

/** Delay imposed after the n-th consecutive failure. */
export function penaltyMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_PENALTY_MS, 1000 * 2 ** Math.min(failures - FREE_FAILURES, 20));
}

function tooManyAttempts(waitMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new ApiError(
    429,
    'too_many_attempts',
    `Too many failed sign-ins for this name; try again in ${seconds} s`,
    undefined,
    seconds,
  );
}

/**
 * Reserves one attempt for this name from this client, counted as a failure until
 * `clearFailures` says otherwise; throws 429 `too_many_attempts` while the name is slowed
 * down for this client. One statement: the check and the count cannot be split by a race.
 */
export async function reserveAttempt(db: D1Database, key: string, now = Date.now()) {
  // failures' new value, then the lock it earns: min(MAX, 1000 * 2^(failures - FREE)).
  const next = `CASE WHEN updated_at < ?2 - ?5 THEN 1 ELSE failures + 1 END`;
  const penalty = `CASE WHEN ${next} < ?3 THEN 0 ELSE min(?4, 1000 * (1 << min(${next} - ?3, 20))) END`;
  const reserved = await db
    .prepare(
      `INSERT INTO login_attempts (username_key, failures, locked_until, updated_at)
       VALUES (?1, 1, CASE WHEN 1 < ?3 THEN 0 ELSE ?2 + 1000 END, ?2)
       ON CONFLICT (username_key) DO UPDATE SET
         locked_until = ?2 + ${penalty}, failures = ${next}, updated_at = ?2
       WHERE locked_until <= ?2
       RETURNING failures`,
    )
    .bind(key, now, FREE_FAILURES, MAX_PENALTY_MS, FORGET_AFTER_MS)
    .first<{ failures: number }>();
  if (reserved) return;
  const row = await db
    .prepare(`SELECT locked_until FROM login_attempts WHERE username_key = ?1`)
    .bind(key)
    .first<{ locked_until: number }>();
  throw tooManyAttempts((row?.locked_until ?? now + 1000) - now);
}

/**
 * Spends one of the client's sign-in attempts (429 `rate_limited` when out), then one of the
 * name's attempts from anywhere (429 `too_many_attempts`; the client's token comes back).
 */
export async function spendClientAttempt(
  db: D1Database,
  client: string,
  nameKey: string,
): Promise<void> {
  await spendOrThrow(
    db,
    `login:${client}`,
    CLIENT_FAILURES,
    'Too many failed sign-ins from this network',
  );
  const waitMs = await takeToken(db, `login-name:${nameKey}`, NAME_FAILURES);
  if (waitMs > 0) {
    await takeToken(db, `login:${client}`, CLIENT_FAILURES, -1);
    throw tooManyAttempts(waitMs);
  }
}

/** After a success: the name's failures from this client are forgotten and the client's and
 * the name's tokens come back (a negative cost refills by one; the next take caps it). */
export async function clearFailures(
  db: Db,
  d1: D1Database,
  key: string,
  client: string,
  nameKey: string,
) {
  await Promise.all([
    db.delete(loginAttempts).where(eq(loginAttempts.usernameKey, key)),
    takeToken(d1, `login:${client}`, CLIENT_FAILURES, -1),
    takeToken(d1, `login-name:${nameKey}`, NAME_FAILURES, -1),
  ]);
}
