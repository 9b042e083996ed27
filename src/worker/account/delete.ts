/**
 * `POST /api/me/delete`: deleting an account. Choice (docs/security.md, "Deleting an
 * account"): the person's messages are REMOVED, not kept under "deleted user". What they
 * wrote goes with them, as a deletion request means, and nothing of it stays readable in
 * D1, the search index, a room's log or a replay. Each message becomes an ordinary delete
 * event in its room's order (a tombstone in the timeline, like any deleted message), so every
 * client converges without a new frame; their reactions are taken back the same way.
 *
 * The user row stays as a nameless tombstone ("Deleted user", no password, address or device)
 * because the tombstones and DM rooms point at its id; its username is held (name-hold.ts)
 * for the usual delay before anyone else can take it.
 */
import { fileKey } from '../../durable/attachments';
import { Hono } from 'hono';
import { deleteAccountBody } from '../../shared/account';
import { toUserRef } from '../accounts';
import { announceRename } from '../auth/rename';
import { clearedDeviceCookie, clearedSessionCookie } from '../auth/session';
import type { AppEnv, Db, UserRow } from '../context';
import { dmMembers, roomStub, type RoomInfo } from '../../durable/room-info';
import type { RoomKind } from '../../shared/api';
import { ApiError } from '../errors';
import { parseBody, requireUser } from '../middleware';
import { assertPassword } from './credentials';
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
  await eraseUser(c.env, c.var.db, user);
  c.header('set-cookie', clearedSessionCookie(), { append: true });
  if (user.isGuest) c.header('set-cookie', clearedDeviceCookie(), { append: true });
  return c.json({ ok: true as const }, 200);
});

/** Every room the user could have left a trace in: member of, wrote in, or reacted in. */
async function roomsOf(env: Env, userId: string): Promise<RoomInfo[]> {
  const { results } = await env.DB.prepare(
    `SELECT r.id, r.kind FROM rooms r WHERE r.id IN (
       SELECT room_id FROM memberships WHERE user_id = ?1
       UNION SELECT room_id FROM messages WHERE author_id = ?1
       UNION SELECT room_id FROM reactions WHERE user_id = ?1)`,
  )
    .bind(userId)
    .all<{ id: string; kind: RoomKind }>();
  return results.map((r) => {
    const members = dmMembers(r.id);
    return { id: r.id, kind: r.kind, ...(members && { members }) };
  });
}

/** Removes what the user wrote from every room, then leaves only the tombstone row. */
async function eraseUser(env: Env, db: Db, user: UserRow): Promise<void> {
  const rooms = await roomsOf(env, user.id);
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
  ]);
  const erased = { username: DELETED_NAME, color: DELETED_COLOR, profile: null, timeZone: null };
  const tombstone = toUserRef({ ...user, ...erased });
  if (!gone?.results.length) throw new Error('account row vanished during deletion');
  // Everyone who shows this person (members' clients, DM contacts) shows "Deleted user" now;
  // before memberships go, since the hub finds contacts through them.
  await announceRename(env, db, { ...user, ...erased });
  await Promise.all(rooms.map((info) => roomStub(env, info.id).eraseUser(info, tombstone)));
  // A DM stays in the other members' lists, with "Deleted user" among its people: its
  // membership rows are what name them there (a pair's peer, a group's members), and a
  // group's id names its people for good. Every other membership ends.
  await env.DB.prepare(`DELETE FROM memberships WHERE user_id = ? AND room_id NOT LIKE 'dm:%'`)
    .bind(user.id)
    .run();
  await dropStoredBytes(env, user.id);
}

/**
 * The person's bytes in R2: their avatars, and uploads never sent (a sent file went with its
 * message's delete event, in the room).
 */
async function dropStoredBytes(env: Env, userId: string): Promise<void> {
  const avatars = await env.FILES.list({ prefix: `avatars/${userId}/` });
  if (avatars.objects.length) await env.FILES.delete(avatars.objects.map((o) => o.key));
  const { results } = await env.DB.prepare(
    'SELECT id, room_id FROM files WHERE uploader_id = ?1 AND message_client_id IS NULL',
  )
    .bind(userId)
    .all<{ id: string; room_id: string }>();
  if (!results.length) return;
  await env.FILES.delete(results.map((f) => fileKey(f.room_id, f.id)));
  await env.DB.prepare('DELETE FROM files WHERE id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(results.map((f) => f.id)))
    .run();
}
