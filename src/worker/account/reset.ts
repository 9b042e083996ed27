/**
 * Password reset by mail. `POST /api/auth/reset-request` answers the same, after the same
 * work, whether or not the address belongs to anyone: one conditional INSERT stores a link
 * only for an account that proved that address, and the mail leaves after the answer
 * (`waitUntil`), so neither the body, the status nor the time tells who has an account.
 * `POST /api/auth/reset` spends the link once, sets the password and ends every session.
 */
import { Hono } from 'hono';
import { resetBody, resetRequestBody } from '../../shared/account';
import { sha256 } from '../accounts';
import { hashGate } from '../auth/hash-gate';
import { hashPassword } from '../auth/password';
import type { AppEnv } from '../context';
import { mailerFor } from '../mail/mailer';
import { parseBody } from '../middleware';
import { clientKey, spendOrThrow, type Bucket } from '../rate-buckets';
import { assertStrong } from './credentials';
import { invalidLink } from './email';
import { appOrigin, resetMail } from './links';
import { consumeToken, newToken, peekToken, retireTokens, tokenRow } from './tokens';
import { endSessions } from './revoke';

/** Reset requests per client (10, then 10 an hour) and per address (3, then one per 10 min). */
const PER_CLIENT: Bucket = { burst: 10, perSecond: 10 / 3600 };
const PER_ADDRESS: Bucket = { burst: 3, perSecond: 1 / 600 };

export const RESET_ANSWER =
  'If an account has confirmed this address, a link to choose a new password is on its way.';

export const resetRequest = new Hono<AppEnv>().post('/', async (c) => {
  const { email } = await parseBody(c.req, resetRequestBody);
  await spendOrThrow(
    c.env.DB,
    `reset:${clientKey(c.req.raw)}`,
    PER_CLIENT,
    'Too many reset requests',
  );
  // Keyed by the address whether or not anyone has it, so the limit says nothing either.
  await spendOrThrow(
    c.env.DB,
    `reset-to:${await sha256(email)}`,
    PER_ADDRESS,
    'Too many reset requests',
  );
  const token = newToken();
  const row = await tokenRow(token, 'reset_password');
  const found = await c.env.DB.prepare(
    `INSERT INTO account_tokens (token_hash, user_id, kind, email, created_at, expires_at)
     SELECT ?1, u.id, ?2, u.email, ?3, ?4 FROM users u
     WHERE u.email = ?5 AND u.email_verified_at IS NOT NULL AND u.deleted_at IS NULL
     RETURNING user_id, (SELECT username FROM users WHERE id = user_id) AS username`,
  )
    .bind(row.tokenHash, row.kind, row.createdAt, row.expiresAt, email)
    .first<{ user_id: string; username: string }>();
  const mailer = mailerFor(c.env);
  if (found && mailer) {
    const mail = resetMail(email, appOrigin(c), token, found.username);
    c.executionCtx.waitUntil(
      mailer.send(mail).catch((err: unknown) => console.error('reset mail not sent', err)),
    );
  }
  return c.json({ ok: true as const, message: RESET_ANSWER }, 200);
});

export const reset = new Hono<AppEnv>().post('/', async (c) => {
  const body = await parseBody(c.req, resetBody);
  // Checked before the link is spent, so a refused password leaves the link usable.
  const holder = await peekToken(c.env.DB, body.token, 'reset_password');
  if (!holder) throw invalidLink();
  await assertStrong(body.password, holder.username);
  const passwordHash = await hashGate.run(() => hashPassword(body.password));
  const used = await consumeToken(c.env.DB, body.token, 'reset_password');
  if (!used) throw invalidLink();
  await c.env.DB.batch([
    c.env.DB.prepare('UPDATE users SET password_hash = ?2 WHERE id = ?1').bind(
      used.userId,
      passwordHash,
    ),
    retireTokens(c.env.DB, used.userId, 'reset_password'),
  ]);
  const revoked = await endSessions(c.env, c.var.db, used.userId);
  return c.json({ ok: true as const, revoked }, 200);
});
