/**
 * Invite links (issue 12). The owner and moderators make, list and revoke them under
 * `/api/rooms/:id/invites`; anyone signed in joins with one at `POST /api/invites/:token`,
 * unless banned, the link expired, ran out of uses or was revoked. Only the token's SHA-256
 * is stored: the link is shown once, to whoever made it.
 */
import { Hono, type Context } from 'hono';
import type { RoomInvite } from '../../shared/moderation';
import { profileRefFields } from '../../shared/profile';
import { createInviteBody, inviteToken } from '../../shared/moderation-bodies';
import { sha256, toUserRef } from '../accounts';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { parseBody, parseInput, requireUser } from '../middleware';
import { adminAccess, joinRoom, requireRole } from './authority';

/**
 * A link speaks for whoever made it only while they may still make one: its maker still owns
 * the room or moderates it. Removed, banned, demoted or gone, their links stop working
 * (listed no more, joined by nobody), as if revoked; `invite` names the `room_invites` row.
 */
const makerMayInvite = (invite: string) =>
  `(EXISTS (SELECT 1 FROM rooms mr WHERE mr.id = ${invite}.room_id AND mr.owner_id = ${invite}.created_by)
    OR EXISTS (SELECT 1 FROM memberships mm WHERE mm.room_id = ${invite}.room_id
      AND mm.user_id = ${invite}.created_by AND mm.role = 'moderator'))`;

export const roomInvites = new Hono<AppEnv>()
  .get('/:id/invites', requireUser, async (c) => {
    const access = await adminAccess(c);
    requireRole(access, 'moderator');
    const { results } = await c.env.DB.prepare(
      `SELECT i.id, i.created_at, i.expires_at, i.max_uses, i.uses,
         u.id AS by_id, u.username AS by_name, u.color AS by_color, u.is_guest AS by_guest,
         u.profile AS by_profile
       FROM room_invites i JOIN users u ON u.id = i.created_by
       WHERE i.room_id = ?1 AND i.revoked_at IS NULL AND i.expires_at > ?2 AND i.uses < i.max_uses
         AND ${makerMayInvite('i')}
       ORDER BY i.created_at DESC LIMIT 100`,
    )
      .bind(access.info.id, Date.now())
      .all<Record<string, string | number | null>>();
    const invites: RoomInvite[] = results.map((r) => ({
      id: `${r.id}`,
      createdBy: {
        id: `${r.by_id}`,
        name: `${r.by_name}`,
        color: `${r.by_color}`,
        guest: r.by_guest === 1,
        ...profileRefFields(r.by_profile === null ? null : `${r.by_profile}`),
      },
      createdAt: Number(r.created_at),
      expiresAt: Number(r.expires_at),
      maxUses: Number(r.max_uses),
      uses: Number(r.uses),
    }));
    return c.json({ invites }, 200);
  })
  .post('/:id/invites', requireUser, async (c) => {
    const body = await parseBody(c.req, createInviteBody);
    const access = await adminAccess(c);
    requireRole(access, 'moderator');
    if (access.info.kind === 'global')
      throw new ApiError(400, 'bad_request', 'Everyone is in the global room');
    const token = newToken();
    const now = Date.now();
    const invite: RoomInvite = {
      id: crypto.randomUUID(),
      createdBy: toUserRef(c.var.user),
      createdAt: now,
      expiresAt: now + body.expiresInSeconds * 1000,
      maxUses: body.maxUses,
      uses: 0,
    };
    await c.env.DB.prepare(
      `INSERT INTO room_invites (id, room_id, token_hash, created_by, created_at, expires_at, max_uses)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
      .bind(
        invite.id,
        access.info.id,
        await sha256(token),
        c.var.user.id,
        now,
        invite.expiresAt,
        invite.maxUses,
      )
      .run();
    return c.json({ invite: { ...invite, token } }, 201);
  })
  .delete('/:id/invites/:inviteId', requireUser, async (c) => {
    const access = await adminAccess(c);
    requireRole(access, 'moderator');
    const { meta } = await c.env.DB.prepare(
      `UPDATE room_invites SET revoked_at = ?3 WHERE id = ?2 AND room_id = ?1 AND revoked_at IS NULL`,
    )
      .bind(access.info.id, c.req.param('inviteId'), Date.now())
      .run();
    if (meta.changes === 0) throw new ApiError(404, 'not_found', 'No such invite link');
    return c.json({ ok: true as const }, 200);
  });

interface InviteRow {
  id: string;
  room_id: string;
  room_name: string;
  expires_at: number;
  max_uses: number;
  uses: number;
  revoked_at: number | null;
  kind: 'public';
  maker_may: number;
  banned: number;
  member: number;
}

/**
 * The link's invite for the caller, or the refusal it deserves: unknown (404), banned (403),
 * revoked, expired or used up (410); a member of the room is let in whatever the link's state.
 */
async function usableInvite(c: Context<AppEnv>): Promise<InviteRow> {
  const token = parseInput(inviteToken, c.req.param('token'));
  const hash = await sha256(token);
  const invite = await c.env.DB.prepare(
    `SELECT i.id, i.room_id, r.name AS room_name, i.expires_at, i.max_uses, i.uses,
       i.revoked_at, r.kind, ${makerMayInvite('i')} AS maker_may,
       EXISTS (SELECT 1 FROM room_bans WHERE room_id = i.room_id AND user_id = ?2) AS banned,
       EXISTS (SELECT 1 FROM memberships WHERE room_id = i.room_id AND user_id = ?2) AS member
     FROM room_invites i JOIN rooms r ON r.id = i.room_id WHERE i.token_hash = ?1`,
  )
    .bind(hash, c.var.user.id)
    .first<InviteRow>();
  if (!invite) throw new ApiError(404, 'invite_invalid', 'This invite link is not valid');
  if (invite.banned === 1) throw new ApiError(403, 'banned', 'You are banned from this room');
  if (invite.member === 1) return invite;
  if (invite.revoked_at !== null || invite.maker_may !== 1)
    throw new ApiError(410, 'invite_invalid', 'This invite link was revoked');
  if (invite.expires_at <= Date.now())
    throw new ApiError(410, 'invite_invalid', 'This invite link has expired');
  if (invite.uses >= invite.max_uses)
    throw new ApiError(410, 'invite_invalid', 'This invite link has been used up');
  return invite;
}

/**
 * `GET /api/invites/:token`: the room a link invites to, so the app can ask before joining
 * (a link opened from another site must not join anyone silently); no use is spent.
 * `POST`: joins it.
 */
export const inviteLinks = new Hono<AppEnv>()
  .get('/:token', requireUser, async (c) => {
    const invite = await usableInvite(c);
    const room = { id: invite.room_id, name: invite.room_name };
    return c.json({ room, member: invite.member === 1 }, 200);
  })
  .post('/:token', requireUser, async (c) => {
    const user = c.var.user;
    const invite = await usableInvite(c);
    // A member following the link again is simply let in: no use is spent.
    if (invite.member === 1) return c.json({ ok: true as const, roomId: invite.room_id }, 200);
    // The use is counted in the same statement that checks it: parallel joins cannot overspend.
    const spent = await c.env.DB.prepare(
      `UPDATE room_invites SET uses = uses + 1
     WHERE id = ?1 AND uses < max_uses AND revoked_at IS NULL AND expires_at > ?2
       AND ${makerMayInvite('room_invites')}`,
    )
      .bind(invite.id, Date.now())
      .run();
    if (spent.meta.changes === 0)
      throw new ApiError(410, 'invite_invalid', 'This invite link has been used up');
    const me = toUserRef(user);
    const notice = { kind: 'joined' as const, actor: me, subject: me };
    const info = { id: invite.room_id, kind: invite.kind };
    await joinRoom(c.env, info, user.id, notice, 'You are banned from this room');
    return c.json({ ok: true as const, roomId: invite.room_id }, 200);
  });

/** 24 random bytes as 32 URL-safe characters. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_');
}
