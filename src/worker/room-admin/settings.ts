/**
 * `/api/rooms/:id/…` for the room's owner and moderators (issue 12): the room's settings,
 * moderators, ownership, archive, delete, slow mode and audit list. Every change is written
 * to D1 by the room's object and becomes a notice in the same step (authority.ts
 * `changeSetting`), so D1 and the room's order agree on which change came last.
 */
import { Hono } from 'hono';
import { profileRefFields } from '../../shared/profile';
import { usernameKey } from '../../shared/api';
import type { RoomAdmin } from '../../shared/moderation';
import {
  archiveBody,
  roomSettingsBody,
  slowModeBody,
  userIdBody,
} from '../../shared/moderation-bodies';
import { nameSkeleton } from '../../shared/names';
import * as z from 'zod/mini';
import { isUniqueViolation, nameTooSimilar, toUserRef } from '../accounts';
import type { RoomAccess } from '../access';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { parseBody, parseInput, requireUser } from '../middleware';
import { auditList } from '../room-notices';
import { assertRoomNameFree } from '../rooms';
import { adminAccess, changeSetting, invitesRevoked, memberOf, requireRole } from './authority';
import { deleteRoom } from './delete';

const auditQuery = z.object({
  before: z._default(z.coerce.number().check(z.int(), z.positive()), Number.MAX_SAFE_INTEGER),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
});

export const roomSettings = new Hono<AppEnv>()
  .get('/:id/admin', requireUser, async (c) => {
    const access = await adminAccess(c);
    const id = access.info.id;
    const [room, mods] = await c.env.DB.batch<Record<string, unknown>>([
      c.env.DB.prepare(
        `SELECT r.name, r.topic, r.description, r.is_private, r.archived_at, r.slow_mode_seconds,
           u.id AS owner_id, u.username AS owner_name, u.color AS owner_color, u.is_guest AS owner_guest,
           u.profile AS owner_profile,
           (SELECT count(*) FROM memberships WHERE room_id = r.id) AS member_count
         FROM rooms r LEFT JOIN users u ON u.id = r.owner_id WHERE r.id = ?1`,
      ).bind(id),
      c.env.DB.prepare(
        `SELECT u.id, u.username, u.color, u.is_guest, u.profile FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.room_id = ?1 AND m.role = 'moderator' ORDER BY u.username_key LIMIT 100`,
      ).bind(id),
    ]);
    const r = room!.results[0] as Record<string, string | number | null>;
    const admin: RoomAdmin = {
      id,
      name: r.name as string,
      topic: r.topic as string | null,
      description: r.description as string | null,
      private: r.is_private === 1,
      archived: r.archived_at !== null,
      slowModeSeconds: r.slow_mode_seconds as number,
      owner: r.owner_id
        ? {
            id: r.owner_id as string,
            name: r.owner_name as string,
            color: r.owner_color as string,
            guest: r.owner_guest === 1,
            ...profileRefFields(r.owner_profile as string | null),
          }
        : null,
      moderators: (mods!.results as Record<string, string | number | null>[]).map((u) => ({
        id: u.id as string,
        name: u.username as string,
        color: u.color as string,
        guest: u.is_guest === 1,
        ...profileRefFields(u.profile as string | null),
      })),
      role: access.role,
      // Everyone is in the global room: its count would be every account, not news.
      ...(access.info.kind !== 'global' && { memberCount: r.member_count as number }),
    };
    return c.json({ room: admin }, 200);
  })
  .patch('/:id', requireUser, async (c) => {
    const body = await parseBody(c.req, roomSettingsBody);
    const access = await adminAccess(c);
    requireRole(access, 'owner');
    refuseArchived(access);
    const id = access.info.id;
    const sets: string[] = [];
    const values: (string | null)[] = [];
    if (body.name !== undefined) {
      const key = usernameKey(body.name);
      const skeleton = nameSkeleton(body.name);
      const current = await c.env.DB.prepare('SELECT name_key FROM rooms WHERE id = ?1')
        .bind(id)
        .first<{ name_key: string }>();
      if (current?.name_key !== key) await assertRoomNameFree(c.env.DB, key, skeleton);
      sets.push('name = ?', 'name_key = ?', 'name_skeleton = ?');
      values.push(body.name, key, skeleton);
    }
    if (body.topic !== undefined) {
      sets.push('topic = ?');
      values.push(body.topic || null);
    }
    if (body.description !== undefined) {
      sets.push('description = ?');
      values.push(body.description || null);
    }
    let seq: number | null;
    try {
      seq = await changeSetting(
        c,
        access,
        {
          sql: `UPDATE rooms SET ${sets.join(', ')} WHERE id = ? AND archived_at IS NULL
                RETURNING name, topic, description`,
          params: [...values, id],
        },
        { notice: { kind: 'settings', actor: toUserRef(c.var.user), subject: null } },
        { returning: true },
      );
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw nameTooSimilar(undefined, 'name');
    }
    if (seq === null) await refuseUnchanged(c.env.DB, id);
    return c.json({ ok: true as const, seq }, 200);
  })
  .put('/:id/moderators/:userId', requireUser, (c) => setModerator(c, true))
  .delete('/:id/moderators/:userId', requireUser, (c) => setModerator(c, false))
  .post('/:id/owner', requireUser, async (c) => {
    const { userId } = await parseBody(c.req, userIdBody);
    const access = await adminAccess(c);
    requireRole(access, 'owner');
    const me = c.var.user.id;
    const target = await memberOf(c.env.DB, access.info.id, userId);
    if (!target)
      throw new ApiError(404, 'not_a_member', 'Only a member can own the room', 'userId');
    if (userId === me)
      throw new ApiError(400, 'bad_request', 'You own this room already', 'userId');
    // The old owner stays on as a moderator; the new one is owner by `owner_id`.
    const seq = await changeSetting(
      c,
      access,
      [
        {
          sql: `UPDATE rooms SET owner_id = ?2 WHERE id = ?1 AND owner_id = ?3`,
          params: [access.info.id, userId, me],
        },
        {
          sql: `UPDATE memberships SET role = CASE user_id WHEN ?2 THEN 'moderator' ELSE 'member' END
                WHERE room_id = ?1 AND user_id IN (?2, ?3) AND (SELECT owner_id FROM rooms WHERE id = ?1) = ?3`,
          params: [access.info.id, me, userId],
        },
      ],
      {
        notice: { kind: 'owner_changed', actor: toUserRef(c.var.user), subject: target.user },
        state: {
          roles: [
            { userId, role: 'owner' },
            { userId: me, role: 'moderator' },
          ],
        },
      },
    );
    if (seq === null) throw new ApiError(409, 'forbidden', 'You no longer own this room');
    return c.json({ ok: true as const, seq }, 200);
  })
  .put('/:id/archive', requireUser, async (c) => {
    const { archived } = await parseBody(c.req, archiveBody);
    const access = await adminAccess(c);
    requireRole(access, 'owner');
    const seq = await changeSetting(
      c,
      access,
      {
        sql: `UPDATE rooms SET archived_at = ?2 WHERE id = ?1 AND (archived_at IS NULL) = ?3`,
        params: [access.info.id, archived ? Date.now() : null, archived ? 1 : 0],
      },
      {
        notice: {
          kind: archived ? 'archived' : 'unarchived',
          actor: toUserRef(c.var.user),
          subject: null,
        },
        state: { archived },
      },
    );
    return c.json({ ok: true as const, seq }, 200);
  })
  .put('/:id/slow-mode', requireUser, async (c) => {
    const { seconds } = await parseBody(c.req, slowModeBody);
    const access = await adminAccess(c);
    requireRole(access, 'moderator');
    refuseArchived(access);
    const seq = await changeSetting(
      c,
      access,
      {
        sql: 'UPDATE rooms SET slow_mode_seconds = ?2 WHERE id = ?1 AND archived_at IS NULL',
        params: [access.info.id, seconds],
      },
      {
        notice: { kind: 'slow_mode', actor: toUserRef(c.var.user), subject: null, seconds },
        state: { slowModeSeconds: seconds },
      },
    );
    if (seq === null) await refuseUnchanged(c.env.DB, access.info.id);
    return c.json({ ok: true as const, seq }, 200);
  })
  .delete('/:id', requireUser, async (c) => {
    const access = await adminAccess(c);
    requireRole(access, 'owner');
    await deleteRoom(c.env, access.info.id);
    return c.json({ ok: true as const }, 200);
  })
  .get('/:id/audit', requireUser, async (c) => {
    const { before, limit } = parseInput(auditQuery, c.req.query());
    const access = await adminAccess(c);
    requireRole(access, 'moderator');
    const entries = await auditList(c.env.DB, access.info.id, before, limit);
    return c.json({ entries }, 200);
  });

/**
 * An archived room is read-only until it is reopened: its name, topic, description and slow
 * mode too. Who may read it (members, moderators, bans, the owner) can still change.
 */
function refuseArchived(access: RoomAccess): void {
  if (access.state.archived) throw archivedError();
}

/** Why a setting's write changed nothing: archived since the caller's check, or gone. */
async function refuseUnchanged(db: D1Database, roomId: string): Promise<never> {
  const row = await db
    .prepare('SELECT archived_at IS NOT NULL AS archived FROM rooms WHERE id = ?1')
    .bind(roomId)
    .first<{ archived: number }>();
  if (row?.archived === 1) throw archivedError();
  throw new ApiError(404, 'room_not_found', 'No such room');
}

function archivedError(): ApiError {
  return new ApiError(409, 'room_archived', 'This room is archived: reopen it to change this');
}

async function setModerator(c: Parameters<typeof adminAccess>[0], on: boolean) {
  const access = await adminAccess(c);
  const userId = c.req.param('userId')!;
  // The owner names and removes moderators; a moderator may also step down.
  const steppingDown = !on && userId === c.var.user.id && access.role === 'moderator';
  if (!steppingDown) requireRole(access, 'owner');
  const target = await memberOf(c.env.DB, access.info.id, userId);
  if (!target) throw new ApiError(404, 'not_a_member', 'Only a member can moderate', 'userId');
  if (target.role === 'owner')
    throw new ApiError(400, 'bad_request', 'The owner moderates already', 'userId');
  const role = on ? 'moderator' : 'member';
  // Exact at the write, whatever changed since the read above: the owner is never demoted, and
  // a role already held changes nothing (no notice).
  const seq = await changeSetting(
    c,
    access,
    [
      {
        sql: `UPDATE memberships SET role = ?3 WHERE room_id = ?1 AND user_id = ?2 AND role != ?3
              AND user_id != (SELECT owner_id FROM rooms WHERE id = ?1)`,
        params: [access.info.id, userId, role],
      },
      // A moderator no more: the links they made stop (authority.ts).
      ...(on ? [] : [invitesRevoked(access.info.id, userId)]),
    ],
    {
      notice: {
        kind: on ? 'moderator_added' : 'moderator_removed',
        actor: toUserRef(c.var.user),
        subject: target.user,
      },
      state: { roles: [{ userId, role }] },
    },
  );
  return c.json({ ok: true as const, seq }, 200);
}
