/**
 * Blocking, `/api/me/blocks`: while either of two people blocks the other, their pair's DM
 * takes no new message, reaction or typing from either (its object enforces it:
 * src/durable/moderation.ts `mayReach`), and no new pair or group DM puts them together. The
 * blocker's client also folds the blocked person's messages away in shared rooms and never
 * rings for them, and the blocker's hub shard counts no mention from them
 * (hub-attention.ts). Nothing tells the blocked person, beyond their words not reaching the
 * blocker's DM.
 */
import { desc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { dmRoomId } from '../shared/dm';
import { hubOf } from '../durable/hub-shards';
import { roomStub } from '../durable/room-info';
import { tellHub } from './attention';
import { toUserRef } from './accounts';
import type { AppEnv } from './context';
import * as schema from './db/schema';
import { ApiError } from './errors';
import { requireUser } from './middleware';

/** How many people one person may block. */
export const MAX_BLOCKS = 1000;

/**
 * Which of `others` `userId` blocks or is blocked by: the people a new DM of theirs may not
 * include. Both directions read the key (user_id, blocked_id).
 */
export async function blockedAmong(
  db: D1Database,
  userId: string,
  others: string[],
): Promise<Set<string>> {
  const { results } = await db
    .prepare(
      `SELECT blocked_id AS id FROM blocks
         WHERE user_id = ?1 AND blocked_id IN (SELECT value FROM json_each(?2))
       UNION
       SELECT user_id AS id FROM blocks
         WHERE blocked_id = ?1 AND user_id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(userId, JSON.stringify(others))
    .all<{ id: string }>();
  return new Set(results.map((r) => r.id));
}

/** The pair's DM object reads who blocks whom again (whether or not the DM exists yet). */
async function tellPairDm(env: Env, a: string, b: string): Promise<void> {
  const id = dmRoomId(a, b);
  await roomStub(env, id).blocksChanged({ id, kind: 'dm', members: [a, b].sort() });
}

export const blocks = new Hono<AppEnv>()
  .use(requireUser)
  /** The people the caller blocks, the latest first. */
  .get('/', async (c) => {
    const rows = await c.var.db
      .select({ user: schema.users })
      .from(schema.blocks)
      .innerJoin(schema.users, eq(schema.users.id, schema.blocks.blockedId))
      .where(eq(schema.blocks.userId, c.var.user.id))
      .orderBy(desc(schema.blocks.createdAt))
      .limit(MAX_BLOCKS);
    return c.json({ users: rows.map((r) => toUserRef(r.user)) }, 200);
  })
  .put('/:userId', async (c) => {
    const me = c.var.user;
    const userId = c.req.param('userId');
    if (userId === me.id)
      throw new ApiError(400, 'validation_failed', 'You cannot block yourself', 'userId');
    const db = c.env.DB;
    const target = await db
      .prepare('SELECT deleted_at IS NOT NULL AS deleted FROM users WHERE id = ?1')
      .bind(userId)
      .first<{ deleted: number }>();
    if (!target || target.deleted === 1)
      throw new ApiError(404, 'user_not_found', 'No such user', 'userId');
    // The cap is in the statement, so parallel requests cannot pass it together.
    const [inserted, known] = await db.batch([
      db
        .prepare(
          `INSERT INTO blocks (user_id, blocked_id, created_at)
           SELECT ?1, ?2, ?3 WHERE (SELECT count(*) FROM blocks WHERE user_id = ?1) < ?4
           ON CONFLICT DO NOTHING`,
        )
        .bind(me.id, userId, Date.now(), MAX_BLOCKS),
      db.prepare('SELECT 1 FROM blocks WHERE user_id = ?1 AND blocked_id = ?2').bind(me.id, userId),
    ]);
    if (inserted!.meta.changes === 0 && known!.results.length === 0)
      throw new ApiError(
        400,
        'quota_exceeded',
        `You can block at most ${MAX_BLOCKS.toLocaleString('en')} people`,
        'userId',
      );
    await tellPairDm(c.env, me.id, userId);
    await tellHub(hubOf(c.env, me.id).blockChanged(me.id, userId, true));
    return c.json({ ok: true as const }, 200);
  })
  .delete('/:userId', async (c) => {
    const me = c.var.user;
    const userId = c.req.param('userId');
    const db = c.env.DB;
    const [, person] = await db.batch([
      db.prepare('DELETE FROM blocks WHERE user_id = ?1 AND blocked_id = ?2').bind(me.id, userId),
      db.prepare('SELECT 1 FROM users WHERE id = ?1').bind(userId),
    ]);
    // An id that names nobody is 404 (a deleted account's row stays: it can be unblocked),
    // and makes no Durable Object. The DM is told even when nothing was deleted: a retry
    // after a failed call brings it in step.
    if (person!.results.length === 0)
      throw new ApiError(404, 'user_not_found', 'No such user', 'userId');
    if (userId !== me.id) await tellPairDm(c.env, me.id, userId);
    await tellHub(hubOf(c.env, me.id).blockChanged(me.id, userId, false));
    return c.json({ ok: true as const }, 200);
  });
