/**
 * The Parlor Worker: `/api/*` is this Hono app, and the widget's page `/embed/<room>` (framed
 * only by the room's allowed sites) passes through here; everything else is the single-page app served from static assets
 * (wrangler.toml `run_worker_first`, headers from `src/web/public/_headers`).
 */
// First: every schema's messages (zod's English locale) for the Worker and its objects.
import '../shared/zod-messages';
import { Hono } from 'hono';
import { dnd, notifyLevels } from './attention';
import { account, recovery } from './account/routes';
import { auth, me } from './auth';
import { resumeErasures } from './account/erasure';
import { bench } from './bench';
import type { AppEnv } from './context';
import { notFound, onError } from './errors';
import { apiHeaders, guardMutations, requireClaims, requireUser, withDb } from './middleware';
import { embedApi } from './embed/api';
import { embedPage } from './embed/page';
import { embedSettings } from './embed/settings';
import { widgetSessions } from './embed/account';
import { devOutboxPage } from './mail/outbox-page';
import { files } from './files/routes';
import { visitors } from './embed/visitors';
import { chats, dms, presence, users } from './people';
import { groupDms } from './group-dms';
import { inviteLinks, roomAdmin } from './room-admin';
import { pins } from './pins';
import { roomHistory, rooms } from './rooms';
import { search } from './search/route';
import { lobbySocket, roomSocket, upgradeGuard } from './sockets';
import { avatarUpload } from './profiles/avatars';
import { blocks } from './blocks';
import { profiles } from './profiles/routes';

const api = new Hono<AppEnv>()
  .use(withDb, guardMutations)
  .get('/rooms/:id/ws', upgradeGuard, requireClaims, roomSocket)
  .get('/lobby/ws', upgradeGuard, requireUser, lobbySocket)
  .get('/rooms/:id/messages', requireClaims, roomHistory)
  .route('/auth', auth)
  .route('/me/dnd', dnd)
  .route('/me/blocks', blocks)
  // Before `me`, `rooms` and `users`: it answers its own paths under them (profiles/routes.ts).
  .route('/', profiles)
  .route('/me', me)
  .route('/me', account)
  .route('/auth', recovery)
  // Before `rooms`: it answers its own routes, so `rooms`' session check does not run twice.
  .route('/rooms', embedSettings)
  .route('/rooms', widgetSessions)
  .route('/rooms', notifyLevels)
  .route('/rooms', roomAdmin)
  .route('/rooms', pins)
  .route('/rooms', rooms)
  .route('/invites', inviteLinks)
  .route('/users', users)
  // Before `dms`, whose session check would otherwise run twice.
  .route('/dms/group', groupDms)
  .route('/dms', dms)
  .route('/chats', chats)
  .route('/presence', presence)
  .route('/search', search)
  .route('/visitors', visitors)
  .route('/_bench', bench)
  .route('/_dev', devOutboxPage);

const app = new Hono<AppEnv>()
  .use('/api/*', apiHeaders)
  // The loader's routes answer other sites (CORS for the room's allowed origins): they have
  // their own origin rule instead of the app's mutation guard.
  .route('/api/embed', embedApi)
  // The avatar upload's body is the image, not JSON: it has its own CSRF guard.
  .route('/api/me/avatar', avatarUpload)
  // Uploads carry the file as their body, not JSON: their own guard (files/routes.ts).
  .route('/api', files)
  .route('/api', api)
  .get('/embed/:room', embedPage);
app.onError(onError);
app.notFound(notFound);

export type AppType = typeof api;
export { Room } from '../durable/room';
export { Relay } from '../durable/relay';
export { Hub } from '../durable/hub';
export { UserQuota } from '../durable/user-quota';
/** The Worker: requests go to the app; the cron finishes account deletions left midway. */
export default {
  fetch: app.fetch,
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(resumeErasures(env));
  },
} satisfies ExportedHandler<Env>;

export { app };
