/**
 * Write-path counters for the benchmark. Mounted always, answering 404 unless the Worker
 * runs with the variable BENCH="1" (never set in wrangler.toml).
 */
import { Hono } from 'hono';
import { roomStub } from './access';
import type { AppEnv } from './context';
import { ApiError } from './errors';

export const bench = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (c.env.BENCH !== '1') throw new ApiError(404, 'not_found', 'Not found');
    await next();
  })
  .get('/rooms/:id/stats', async (c) =>
    c.json(await roomStub(c.env, c.req.param('id')).getStats(), 200),
  )
  // The floors under a history page: the Worker alone, and one one-row D1 query through it.
  .get('/ping', (c) => c.json({ ok: true }, 200))
  .get('/d1', async (c) =>
    c.json(await c.env.DB.prepare("SELECT id FROM rooms WHERE id = 'global'").first(), 200),
  );
