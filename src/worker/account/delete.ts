/**
 * `POST /api/me/delete`: deleting an account. Choice (docs/security.md, "Deleting an
 * account"): the person's messages are REMOVED, not kept under "deleted user". What they
 * wrote goes with them, as a deletion request means, and nothing of it stays readable in
 * D1, the search index, a room's log or a replay. Each message becomes an ordinary delete
 * event in its room's order (a tombstone in the timeline, like any deleted message), so every
 * client converges without a new frame; their reactions are taken back the same way.
 *
 * Resumable (erasure.ts): the deletion is recorded with the tombstone, and a room that
 * fails is finished later by the scheduled sweep.
 *
 * The user row stays as a nameless tombstone ("Deleted user", no password, address or device)
 * because the tombstones and DM rooms point at its id; its username is held (name-hold.ts)
 * for the usual delay before anyone else can take it.
 */
import { Hono } from 'hono';
import { deleteAccountBody } from '../../shared/account';
import { clearedDeviceCookie, clearedSessionCookie } from '../auth/session';
import type { AppEnv, UserRow } from '../context';
import { ApiError } from '../errors';
import { parseBody, requireUser } from '../middleware';
import { assertPassword } from './credentials';
import { continueErasure, recordErasure } from './erasure';
import { holdName } from './name-hold';
import { endSessions } from './revoke';

export const DELETED_NAME = 'Deleted user';
const DELETED_COLOR = '#7a7a7a';

export const deleteAccount = new Hono<AppEnv>().post('/', requireUser, async (c) => {
  const body = await parseBody(c.req, deleteAccountBody);
  const user = c.var.user;
  if (user.passwordHash) {
    await assertPassword(c.env.DB, user, body.password ?? '', 'password');
  } else if (body.confirm !== true) {
    throw new ApiError(
      400,
      'validation_failed',
      'Confirm that you want to delete this account',
      'confirm',
    );
  }
  // Sessions first, sockets closed: nothing new can be written under this account.
  await endSessions(c.env, c.var.db, user.id);
  await eraseUser(c.env, user);
  c.header('set-cookie', clearedSessionCookie(), { append: true });
  if (user.isGuest) c.header('set-cookie', clearedDeviceCookie(), { append: true });
  return c.json({ ok: true as const }, 200);
});

/**
 * Turns the account into its tombstone and records the deletion in one batch (erasure.ts),
 * then erases the user from every room. A room that fails is left to the scheduled sweep.
 */
async function eraseUser(env: Env, user: UserRow): Promise<void> {
  const now = Date.now();
  const [, gone] = await env.DB.batch([
    holdName(env.DB, env, user.id, user.username, now),
    env.DB.prepare(
      `UPDATE users SET username = ?2, username_key = ?3, name_skeleton = ?3, password_hash = NULL,
         email = NULL, email_verified_at = NULL, guest_device_hash = NULL, identity_key = NULL,
         profile = NULL, time_zone = NULL, color = ?4, deleted_at = ?5
       WHERE id = ?1 RETURNING *`,
    ).bind(user.id, DELETED_NAME, `deleted:${user.id}`, DELETED_COLOR, now),
    env.DB.prepare(
      'UPDATE account_tokens SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL',
    ).bind(user.id, now),
    ...recordErasure(env.DB, user.id, now),
  ]);
  if (!gone?.results.length) throw new Error('account row vanished during deletion');
  await continueErasure(env, user.id);
}
