/**
 * The Parlor Worker: `/api/*` is this Hono app; everything else is the single-page app
 * served from static assets (wrangler.toml `run_worker_first`).
 */
import { Hono } from 'hono';
import { auth, me } from './auth';
import type { AppEnv } from './context';
import { notFound, onError } from './errors';
import { guardMutations, withDb } from './middleware';

const api = new Hono<AppEnv>()
  .use(withDb, guardMutations)
  .route('/auth', auth)
  .route('/me', me);

const app = new Hono<AppEnv>().route('/api', api);
app.onError(onError);
app.notFound(notFound);

export type AppType = typeof api;
export { Room } from '../durable/room';
export { Lobby } from '../durable/lobby';
export default app;
