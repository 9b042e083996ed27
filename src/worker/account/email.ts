/**
 * An optional email address, used for nothing until proven: `PUT /api/me/email` sets (or
 * removes) it, given the password, and mails a verification link; `POST /api/auth/verify-email`
 * proves it with that link. Only a proven address can receive a reset link.
 */
import { Hono, type Context } from 'hono';
import { setEmailBody, tokenBody, type AccountInfo } from '../../shared/account';
import { isUniqueViolation } from '../accounts';
import type { AppEnv, UserRow } from '../context';
import { ApiError } from '../errors';
import { mailerFor } from '../mail/mailer';
import { parseBody, requireUser } from '../middleware';
import { spendOrThrow, type Bucket } from '../rate-buckets';
import { assertPassword } from './credentials';
import { appOrigin, verifyMail } from './links';
import { consumeToken, newToken, retireTokens, tokenRow } from './tokens';

/** Verification mails per user: 3 at once, then one every 10 minutes (no mail bombing). */
const VERIFY_MAILS: Bucket = { burst: 3, perSecond: 1 / 600 };

function info(user: Pick<UserRow, 'email' | 'emailVerifiedAt'>, mailSent?: boolean): AccountInfo {
  return {
    email: user.email,
    emailVerified: user.email !== null && user.emailVerifiedAt !== null,
    ...(mailSent !== undefined && { mailSent }),
  };
}

/**
 * Stores a new verification link for the user's current address and mails it; false when no
 * mailer is configured. Earlier links stop working.
 */
export async function sendVerification(c: Context<AppEnv>, userId: string, email: string) {
  const mailer = mailerFor(c.env);
  if (!mailer) return false;
  await spendOrThrow(
    c.env.DB,
    `verify-mail:${userId}`,
    VERIFY_MAILS,
    'Too many verification mails',
  );
  const token = newToken();
  const row = await tokenRow(token, 'verify_email');
  await c.env.DB.batch([
    retireTokens(c.env.DB, userId, 'verify_email'),
    c.env.DB.prepare(
      `INSERT INTO account_tokens (token_hash, user_id, kind, email, created_at, expires_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
    ).bind(row.tokenHash, userId, row.kind, email, row.createdAt, row.expiresAt),
  ]);
  await mailer.send(verifyMail(email, appOrigin(c), token));
  return true;
}

export const email = new Hono<AppEnv>()
  .get('/account', requireUser, (c) => c.json(info(c.var.user), 200))
  .put('/email', requireUser, async (c) => {
    const body = await parseBody(c.req, setEmailBody);
    const user = c.var.user;
    await assertPassword(c.env.DB, user, body.password, 'password');
    if (body.email === user.email) return c.json(info(user), 200);
    await c.env.DB.batch([
      c.env.DB.prepare('UPDATE users SET email = ?2, email_verified_at = NULL WHERE id = ?1').bind(
        user.id,
        body.email,
      ),
      retireTokens(c.env.DB, user.id, 'verify_email'),
      // Reset links went to the old address: they end with it.
      retireTokens(c.env.DB, user.id, 'reset_password'),
    ]);
    const next = { email: body.email, emailVerifiedAt: null };
    if (!body.email) return c.json(info(next), 200);
    return c.json(info(next, await sendVerification(c, user.id, body.email)), 200);
  })
  .post('/email/resend', requireUser, async (c) => {
    const user = c.var.user;
    if (!user.email || user.emailVerifiedAt !== null) {
      throw new ApiError(400, 'bad_request', 'There is no unconfirmed address to confirm');
    }
    return c.json(info(user, await sendVerification(c, user.id, user.email)), 200);
  });

/** `POST /api/auth/verify-email`: no session needed (the link may open in another browser). */
export const verifyEmail = new Hono<AppEnv>().post('/', async (c) => {
  const { token } = await parseBody(c.req, tokenBody);
  const used = await consumeToken(c.env.DB, token, 'verify_email');
  if (!used) throw invalidLink();
  try {
    // The address must still be the account's: a link for an address since replaced proves nothing.
    const row = await c.env.DB.prepare(
      `UPDATE users SET email_verified_at = ?3
       WHERE id = ?1 AND email = ?2 AND deleted_at IS NULL RETURNING email`,
    )
      .bind(used.userId, used.email, Date.now())
      .first<{ email: string }>();
    if (!row) throw invalidLink();
    return c.json({ email: row.email, emailVerified: true }, 200);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw new ApiError(409, 'email_taken', 'Another account has already confirmed this address');
  }
});

export function invalidLink(): ApiError {
  return new ApiError(
    400,
    'invalid_token',
    'This link has expired or was already used; ask for a new one',
  );
}
