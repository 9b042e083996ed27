/**
 * `/api/rooms/:id/members/…` and `/bans/…` for the owner and moderators (issue 12): add a
 * person (an invitation), remove a member, ban and unban. A removed or banned member's
 * sockets to the room close and their hub stops the room's activity notices.
 */
import { Hono } from 'hono';
import { profileRefFields, shownName } from '../../shared/profile';
import type { RoomBan } from '../../shared/moderation';
import { userIdBody } from '../../shared/moderation-bodies';
import { markFields } from '../../shared/user-mark';
import { userMarkSql } from '../../durable/user-mark';
import { globalModerator } from '../access';
import { toUserRef } from '../accounts';
import { blockedAmong } from '../blocks';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { parseBody, requireUser } from '../middleware';
import {
  adminAccess,
  anyUserRef,
  assertMayActOn,
  changeSetting,
  joinRoom,
  memberGone,
  memberOf,
  requireRole,
} from './authority';

export const roomMembers = new Hono<AppEnv>()
  .post('/:id/members', requireUser, async (c) => {
    const { userId } = await parseBody(c.req, userIdBody);
    const access = await adminAccess(c);
    requireRole(access, 'moderator');
    if (access.info.kind === 'global')
      throw new ApiError(400, 'bad_request', 'Everyone is in the global room');
    const user = await anyUserRef(c.env.DB, userId);
    // Nobody puts a person who blocks them (or whom they block) in a room: a room of two is
    // a DM by another name, and a block allows no new one.
    if ((await blockedAmong(c.env.DB, c.var.user.id, [userId])).size > 0)
      throw new ApiError(403, 'blocked', 'You cannot add this person', 'userId');
    // The join's own write refuses a banned person (joinRoom): 403 `banned`.
    const notice = { kind: 'invited' as const, actor: toUserRef(c.var.user), subject: user };
    const bannedMessage = `${shownName(user)} is banned from this room`;
    const seq = await joinRoom(c.env, access.info, userId, notice, bannedMessage, 'userId');
    return c.json({ ok: true as const, seq }, 200);
  })
  .delete('/:id/members/:userId', requireUser, async (c) => {
    const access = await adminAccess(c);
    requireRole(access, 'moderator');
    if (access.info.kind === 'global')
      throw new ApiError(400, 'bad_request', 'Nobody leaves the global room: ban them instead');
    const target = await memberOf(c.env.DB, access.info.id, c.req.param('userId'));
    if (!target) throw new ApiError(404, 'not_a_member', 'Not a member of this room', 'userId');
    assertMayActOn(access, c.var.user.id, target);
    const seq = await memberGone(
      c,
      access,
      target.user.id,
      {
        sql: 'DELETE FROM memberships WHERE room_id = ?1 AND user_id = ?2',
        params: [access.info.id, target.user.id],
      },
      {
        notice: { kind: 'removed', actor: toUserRef(c.var.user), subject: target.user },
        state: { roles: [{ userId: target.user.id, role: 'member' }] },
        disconnect: { userId: target.user.id, reason: 'You were removed from this room' },
      },
    );
    return c.json({ ok: true as const, seq }, 200);
  })
  .get('/:id/bans', requireUser, async (c) => {
    const access = await adminAccess(c);
    requireRole(access, 'moderator');
    const { results } = await c.env.DB.prepare(
      `SELECT b.created_at, u.id, u.username, u.color, u.is_guest, u.profile, ${userMarkSql('u')} AS mark,
         m.id AS by_id, m.username AS by_name, m.color AS by_color, m.is_guest AS by_guest,
         m.profile AS by_profile
       FROM room_bans b JOIN users u ON u.id = b.user_id JOIN users m ON m.id = b.banned_by
       WHERE b.room_id = ?1 ORDER BY b.created_at DESC LIMIT 500`,
    )
      .bind(access.info.id)
      .all<Record<string, string | number | null>>();
    const bans: RoomBan[] = results.map((r) => ({
      user: {
        id: `${r.id}`,
        name: `${r.username}`,
        color: `${r.color}`,
        guest: r.is_guest === 1,
        ...markFields(r.mark === null ? null : `${r.mark}`),
        ...profileRefFields(r.profile === null ? null : `${r.profile}`),
      },
      by: {
        id: `${r.by_id}`,
        name: `${r.by_name}`,
        color: `${r.by_color}`,
        guest: r.by_guest === 1,
        ...profileRefFields(r.by_profile === null ? null : `${r.by_profile}`),
      },
      at: Number(r.created_at),
    }));
    return c.json({ bans }, 200);
  })
  .put('/:id/bans/:userId', requireUser, async (c) => {
    const access = await adminAccess(c);
    requireRole(access, 'moderator');
    const userId = c.req.param('userId');
    const member = await memberOf(c.env.DB, access.info.id, userId);
    const target = member ?? { user: await anyUserRef(c.env.DB, userId), role: 'member' as const };
    assertMayActOn(access, c.var.user.id, target);
    if (access.info.kind === 'global' && globalModerator(c.env, userId))
      throw new ApiError(
        403,
        'forbidden',
        'A moderator of the global room cannot be banned',
        'userId',
      );
    const seq = await memberGone(
      c,
      access,
      userId,
      [
        {
          sql: `INSERT OR IGNORE INTO room_bans (room_id, user_id, banned_by, created_at) VALUES (?1, ?2, ?3, ?4)`,
          params: [access.info.id, userId, c.var.user.id, Date.now()],
        },
        {
          sql: 'DELETE FROM memberships WHERE room_id = ?1 AND user_id = ?2',
          params: [access.info.id, userId],
        },
      ],
      {
        notice: { kind: 'banned', actor: toUserRef(c.var.user), subject: target.user },
        state: { roles: [{ userId, role: 'member' }] },
        disconnect: { userId, reason: 'You were banned from this room' },
      },
    );
    return c.json({ ok: true as const, seq }, 200);
  })
  .delete('/:id/bans/:userId', requireUser, async (c) => {
    const access = await adminAccess(c);
    requireRole(access, 'moderator');
    const userId = c.req.param('userId');
    const user = await anyUserRef(c.env.DB, userId);
    const unban = {
      sql: 'DELETE FROM room_bans WHERE room_id = ?1 AND user_id = ?2',
      params: [access.info.id, userId],
    };
    // Everyone is in the global room: an unbanned user is back in it at once. Elsewhere
    // unbanned is not rejoined: they may join a public room again, or be invited to a private one.
    const rejoin = {
      sql: `INSERT OR IGNORE INTO memberships (room_id, user_id, read_seq, joined_at)
            SELECT ?1, ?2, last_seq, ?3 FROM rooms WHERE id = ?1`,
      params: [access.info.id, userId, Date.now()],
    };
    const seq = await changeSetting(
      c,
      access,
      access.info.kind === 'global' ? [unban, rejoin] : [unban],
      { notice: { kind: 'unbanned', actor: toUserRef(c.var.user), subject: user } },
      { hub: { userId, op: 'unbanned' } },
    );
    return c.json({ ok: true as const, seq }, 200);
  });
