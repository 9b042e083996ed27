/** Re-asking a signed-in person for their password before an account change. */
import { hashGate } from '../auth/hash-gate';
import { verifyPassword } from '../auth/password';
import type { UserRow } from '../context';
import { ApiError } from '../errors';
import { spendOrThrow, type Bucket } from '../rate-buckets';

/**
 * Checks per user: 5 at once, then one a minute. Someone holding a stolen session must not
 * be able to guess the password through these forms faster than through sign-in.
 */
const CHECKS: Bucket = { burst: 5, perSecond: 1 / 60 };

/** 403 `invalid_credentials` (field `field`) unless `password` is the user's. */
export async function assertPassword(
  db: D1Database,
  user: UserRow,
  password: string,
  field = 'current',
): Promise<void> {
  if (!user.passwordHash) {
    throw new ApiError(400, 'bad_request', 'A guest account has no password; set one first');
  }
  await spendOrThrow(db, `password-check:${user.id}`, CHECKS, 'Too many password checks');
  const check = await hashGate.run(() => verifyPassword(password, user.passwordHash!));
  if (!check.ok)
    throw new ApiError(403, 'invalid_credentials', 'That is not your current password', field);
}

/**
 * zxcvbn is imported on first use (about 100 ms of CPU to load: docs/bundle.md), with the
 * same rules as sign-up.
 */
export async function assertStrong(password: string, username: string): Promise<void> {
  const { passwordStrength } = await import('../../shared/password-strength');
  const { reason } = passwordStrength(password, username);
  if (reason) throw new ApiError(400, 'weak_password', reason, 'password');
}
