/**
 * Account deletion that survives a Worker dying midway (issue 12). The deletion is recorded
 * in D1 in the same batch that turns the user into a tombstone (no password, no device, no
 * name), so from that moment nobody can sign in as them; then each room takes back what they
 * wrote (Room.eraseUser), and each room done is marked. A room that fails (unreachable, an
 * exception) stays pending; the request still answers 200, since the account is gone, and
 * the scheduled sweep (`resumeErasures`, wrangler.toml `[triggers]`) finishes it. Every
 * step is idempotent, so a room erased twice, or two runners on one account, change nothing.
 */
import { drizzle } from 'drizzle-orm/d1';
import { fileKey } from '../../durable/attachments';
import { hubOf } from '../../durable/hub-shards';
import { dmMembers, roomStub, type RoomInfo } from '../../durable/room-info';
import { USER_REF_COLUMNS, userRefOf, type UserRefRow } from '../../durable/user-mark';
import type { RoomKind } from '../../shared/api';
import type { UserRef } from '../../shared/protocol';
import { toUserRef } from '../accounts';
import * as schema from '../db/schema';

/** A deletion younger than this is left to the request that started it. */
export const RESUME_AFTER_MS = 60_000;
const SWEEP_BATCH = 20;

/**
 * The statements that record a deletion as started, to run in the tombstone's batch: the
 * deletion itself and every room the user left a trace in (member of, wrote or reacted in).
 */
export function recordErasure(db: D1Database, userId: string, now: number): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO account_erasures (user_id, started_at) VALUES (?1, ?2)
         ON CONFLICT (user_id) DO NOTHING`,
      )
      .bind(userId, now),
    db
      .prepare(
        `INSERT INTO account_erasure_rooms (user_id, room_id)
         SELECT ?1, room_id FROM memberships WHERE user_id = ?1
         UNION SELECT ?1, room_id FROM messages WHERE author_id = ?1
         UNION SELECT ?1, room_id FROM reactions WHERE user_id = ?1
         ON CONFLICT DO NOTHING`,
      )
      .bind(userId),
  ];
}

/**
 * Erases the user from each room not done yet, marking each one done; when none is left,
 * ends their room memberships and drops their stored bytes. Returns how many rooms are
 * still pending (0: the deletion is finished).
 */
export async function continueErasure(env: Env, userId: string): Promise<number> {
  const user = await drizzle(env.DB, { schema }).query.users.findFirst({
    where: (u, { eq }) => eq(u.id, userId),
  });
  if (!user) return 0;
  const tombstone = toUserRef(user);
  const { results: rooms } = await env.DB.prepare(
    `SELECT e.room_id AS id, r.kind FROM account_erasure_rooms e JOIN rooms r ON r.id = e.room_id
     WHERE e.user_id = ?1 AND e.erased_at IS NULL`,
  )
    .bind(userId)
    .all<{ id: string; kind: RoomKind }>();
  const failures: string[] = [];
  try {
    // Their DM contacts' lists show "Deleted user" (idempotent: sent again on a resume).
    await hubOf(env, userId).userUpdated(tombstone);
  } catch (err) {
    failures.push(`hub: ${String(err)}`);
  }
  await Promise.all(
    rooms.map(async ({ id, kind }) => {
      const members = dmMembers(id);
      const info: RoomInfo = { id, kind, ...(members && { members }) };
      try {
        await eraseFromRoom(env, info, tombstone);
        await env.DB.prepare(
          'UPDATE account_erasure_rooms SET erased_at = ?3 WHERE user_id = ?1 AND room_id = ?2',
        )
          .bind(userId, id, Date.now())
          .run();
      } catch (err) {
        failures.push(`${id}: ${String(err)}`);
      }
    }),
  );
  if (failures.length > 0) {
    await env.DB.prepare(
      `UPDATE account_erasures SET attempts = attempts + 1, last_error = ?2 WHERE user_id = ?1`,
    )
      .bind(userId, failures.join('; ').slice(0, 500))
      .run();
    return failures.length;
  }
  // A DM stays in the other person's list, under "Deleted user": its membership row is
  // what names the peer there. Every other membership ends.
  await env.DB.prepare(`DELETE FROM memberships WHERE user_id = ? AND room_id NOT LIKE 'dm:%'`)
    .bind(userId)
    .run();
  await dropStoredBytes(env, userId);
  await env.DB.batch([
    env.DB.prepare(
      `UPDATE account_erasures SET finished_at = ?2, attempts = attempts + 1, last_error = NULL
       WHERE user_id = ?1`,
    ).bind(userId, Date.now()),
    env.DB.prepare('DELETE FROM account_erasure_rooms WHERE user_id = ?1').bind(userId),
  ]);
  return 0;
}

/**
 * The room shows the tombstone's name, then takes back every message and reaction; a room the
 * person owned passes to someone who can look after it.
 */
async function eraseFromRoom(env: Env, info: RoomInfo, tombstone: UserRef): Promise<void> {
  const room = roomStub(env, info.id);
  await room.userUpdated(tombstone);
  await room.eraseUser(info, tombstone);
  if (info.kind === 'public') await passOwnership(env, info, tombstone);
}

/**
 * A deleted owner's room goes to its longest-serving moderator, else its longest-standing
 * member (ties by id), as an `owner_changed` notice in the room's order whose actor is the
 * tombstone. Without this nobody could ever rename, moderate, invite to, archive or delete
 * the room again (a private room could never gain a member). Nothing happens when the room
 * has another owner already (a resumed deletion) or nobody else is in it: an empty room stays
 * without an owner (a public one can still be joined and read; nobody can manage it).
 */
async function passOwnership(env: Env, info: RoomInfo, tombstone: UserRef): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const heir = await env.DB.prepare(
      `SELECT ${USER_REF_COLUMNS} FROM rooms r JOIN memberships m ON m.room_id = r.id JOIN users u ON u.id = m.user_id
       WHERE r.id = ?1 AND r.owner_id = ?2 AND m.user_id != ?2 AND u.deleted_at IS NULL
       ORDER BY m.role = 'moderator' DESC, m.joined_at, m.user_id LIMIT 1`,
    )
      .bind(info.id, tombstone.id)
      .first<UserRefRow>();
    if (!heir) return;
    // The heir must still be a member when the owner changes (they may leave meanwhile).
    const seq = await roomStub(env, info.id).changeSetting(
      info,
      [
        {
          sql: `UPDATE rooms SET owner_id = ?2 WHERE id = ?1 AND owner_id = ?3
                AND EXISTS (SELECT 1 FROM memberships WHERE room_id = ?1 AND user_id = ?2)`,
          params: [info.id, heir.id, tombstone.id],
        },
        {
          sql: `UPDATE memberships SET role = 'member' WHERE room_id = ?1 AND user_id = ?2
                AND (SELECT owner_id FROM rooms WHERE id = ?1) = ?2`,
          params: [info.id, heir.id],
        },
      ],
      {
        notice: { kind: 'owner_changed', actor: tombstone, subject: userRefOf(heir) },
        state: {
          roles: [
            { userId: heir.id, role: 'owner' },
            { userId: tombstone.id, role: 'member' },
          ],
        },
      },
    );
    if (seq !== null) return;
  }
}

/**
 * The scheduled sweep: continues deletions left unfinished (oldest first, a batch per run).
 * Returns how many it finished.
 */
export async function resumeErasures(env: Env, now = Date.now()): Promise<number> {
  const { results } = await env.DB.prepare(
    `SELECT user_id FROM account_erasures WHERE finished_at IS NULL AND started_at <= ?1
     ORDER BY started_at LIMIT ${SWEEP_BATCH}`,
  )
    .bind(now - RESUME_AFTER_MS)
    .all<{ user_id: string }>();
  let finished = 0;
  for (const { user_id } of results) {
    if ((await continueErasure(env, user_id)) === 0) finished += 1;
  }
  return finished;
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
