/**
 * `GET /api/rooms/:id/member-list`: who is in a room, for any member (and anyone who may read
 * a public room, as its directory entry already counts them). A private room is not found by
 * anyone else (roomAccess). Not for DMs (their name is their members) nor the global room
 * (everyone is in it: a list of every account is a directory, not a room's people).
 */
import type { Context } from 'hono';
import { memberListQuery, type MemberList } from '../shared/member-list';
import { USER_REF_COLUMNS, userRefOf, type UserRefRow } from '../durable/user-mark';
import { roomAccess } from './access';
import type { AppEnv } from './context';
import { ApiError } from './errors';
import { parseInput } from './middleware';

export async function memberList(c: Context<AppEnv>) {
  const { after, limit } = parseInput(memberListQuery, c.req.query());
  const { info } = await roomAccess(c.env.DB, c.req.param('id')!, c.var.user.id);
  if (info.kind !== 'public')
    throw new ApiError(400, 'bad_request', 'Only rooms have a member list');
  // Pages by username key (unique): a member who joins or leaves meanwhile neither repeats
  // nor hides anyone else, as an offset would.
  type Row = UserRefRow & { username_key: string; role: string | null; owner: number; n: number };
  const [page, total] = await c.env.DB.batch<Row>([
    c.env.DB.prepare(
      `SELECT ${USER_REF_COLUMNS}, u.username_key, m.role, r.owner_id = u.id AS owner
       FROM memberships m JOIN users u ON u.id = m.user_id JOIN rooms r ON r.id = m.room_id
       WHERE m.room_id = ?1 AND u.username_key > ?2
       ORDER BY u.username_key LIMIT ?3`,
    ).bind(info.id, after, limit),
    c.env.DB.prepare('SELECT count(*) AS n FROM memberships WHERE room_id = ?1').bind(info.id),
  ]);
  const rows = page!.results;
  const answer: MemberList = {
    members: rows.map((row) => ({
      user: userRefOf(row),
      role: row.owner === 1 ? 'owner' : row.role === 'moderator' ? 'moderator' : 'member',
    })),
    count: total!.results[0]!.n,
    nextCursor: rows.length === limit ? rows.at(-1)!.username_key : null,
  };
  return c.json(answer, 200);
}
