/**
 * `PUT /api/rooms/:id/notify` (a chat's notification level) and `GET`/`PUT /api/me/dnd`
 * ("do not disturb"): stored in D1, then handed to the user's hub shard, which applies them
 * to the activity notices it sends and tells the user's other tabs.
 */
import { Hono } from 'hono';
import { DND_MAX_MS, dndBody, notifyLevelBody } from '../shared/attention';
import { hubOf } from '../durable/hub-shards';
import { roomAccess } from './access';
import type { AppEnv } from './context';
import { ApiError } from './errors';
import { parseBody, requireUser } from './middleware';

export const notifyLevels = new Hono<AppEnv>().put('/:id/notify', requireUser, async (c) => {
  const { level } = await parseBody(c.req, notifyLevelBody);
  const roomId = c.req.param('id');
  const user = c.var.user;
  const { member } = await roomAccess(c.env.DB, roomId, user.id);
  if (!member) throw new ApiError(403, 'not_a_member', 'You are not a member of this chat');
  await c.env.DB.prepare(
    `INSERT INTO notify_levels (user_id, room_id, level, updated_at) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (user_id, room_id) DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at`,
  )
    .bind(user.id, roomId, level, Date.now())
    .run();
  await tellHub(hubOf(c.env, user.id).notifyLevelChanged(user.id, roomId, level));
  return c.json({ roomId, level }, 200);
});

export const dnd = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => c.json({ until: await dndUntil(c.env.DB, c.var.user.id) }, 200))
  .put('/', async (c) => {
    const { until } = await parseBody(c.req, dndBody);
    const user = c.var.user;
    const now = Date.now();
    if (until !== null && until <= now)
      throw new ApiError(400, 'validation_failed', '`until` must be in the future', 'until');
    if (until !== null && until > now + DND_MAX_MS)
      throw new ApiError(400, 'validation_failed', '`until` is at most 30 days ahead', 'until');
    const db = c.env.DB;
    if (until === null) {
      await db.prepare('DELETE FROM do_not_disturb WHERE user_id = ?').bind(user.id).run();
    } else {
      await db
        .prepare(
          `INSERT INTO do_not_disturb (user_id, until) VALUES (?1, ?2)
           ON CONFLICT (user_id) DO UPDATE SET until = excluded.until`,
        )
        .bind(user.id, until)
        .run();
    }
    await tellHub(hubOf(c.env, user.id).dndChanged(user.id, until));
    return c.json({ until }, 200);
  });

/** The user's DND end, or null when off or over. */
export async function dndUntil(db: D1Database, userId: string): Promise<number | null> {
  const row = await db
    .prepare('SELECT until FROM do_not_disturb WHERE user_id = ?1 AND until > ?2')
    .bind(userId, Date.now())
    .first<{ until: number }>();
  return row?.until ?? null;
}

/** The setting is stored either way; a shard that missed it reads it at the next first tab. */
export async function tellHub(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    console.error('hub attention update failed', err);
  }
}
