/**
 * `POST /api/me/password`: a new password, given the current one. Every other session ends
 * (sockets closed), and any reset link still out stops working; this one stays signed in.
 */
import { Hono } from 'hono';
import { changePasswordBody } from '../../shared/account';
import { hashGate } from '../auth/hash-gate';
import { hashPassword } from '../auth/password';
import type { AppEnv } from '../context';
import { parseBody, requireUser } from '../middleware';
import { assertPassword, assertStrong } from './credentials';
import { endSessions } from './revoke';
import { retireTokens } from './tokens';

export const changePassword = new Hono<AppEnv>().post('/', requireUser, async (c) => {
  const body = await parseBody(c.req, changePasswordBody);
  const user = c.var.user;
  await assertPassword(c.env.DB, user, body.current);
  await assertStrong(body.password, user.username);
  const passwordHash = await hashGate.run(() => hashPassword(body.password));
  await c.env.DB.batch([
    c.env.DB.prepare('UPDATE users SET password_hash = ?2 WHERE id = ?1').bind(
      user.id,
      passwordHash,
    ),
    retireTokens(c.env.DB, user.id, 'reset_password'),
  ]);
  const revoked = await endSessions(c.env, c.var.db, user.id, { except: c.var.sessionId });
  return c.json({ revoked }, 200);
});
