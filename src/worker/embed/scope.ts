/**
 * What a widget visitor's session may do. Its token sits in a host page's own storage
 * (the only storage an embedded chat keeps across reloads when third-party storage is
 * blocked), so the host page can read it; the server makes that worth little elsewhere:
 *
 * - it reaches its own room's routes only (history, socket, read cursor, the room's facts
 *   and rules), its pinned list and its files, plus `GET /api/me` and logout: never another chat, the
 *   chat list, DMs or renames;
 * - a browser may present it only from Parlor's own origins or the site it was made on
 *   (`Origin`), so a page on another site that got hold of it cannot use it;
 * - it holds only while that site is on the room's list: the owner taking the site off
 *   revokes every session made there (src/worker/embed/settings.ts), for good, and one of a
 *   site the deployment's list for the global room dropped is revoked at its next use;
 * - it expires (30 days) and logout revokes it.
 */
import type { Context } from 'hono';
import { embedOriginsOnly } from '../../shared/embed-origins';
import type { AppEnv } from '../context';
import { GLOBAL_ROOM_ID } from '../db/schema';
import { ApiError } from '../errors';
import { originAllowed } from '../middleware';
import { globalEmbedOrigins } from './origins';

export interface SessionEmbed {
  roomId: string;
  origin: string;
  /** Whether `origin` is on the room's list of rows (the global room's list is configuration). */
  listed: boolean;
}

/** `[method, path]` patterns a visitor's session may use; `:room` must be its own room. */
const VISITOR_ROUTES: [string, RegExp][] = [
  ['GET', /^\/api\/me$/],
  ['POST', /^\/api\/auth\/logout$/],
  ['GET', /^\/api\/rooms\/(?<room>[^/]+)$/],
  ['GET', /^\/api\/rooms\/(?<room>[^/]+)\/(?:messages|online|pins|ws)$/],
  // The room's rules as any reader of it may read them (archive, slow mode, who owns and
  // moderates, the caller's role), which the chat shows: a slow-mode countdown, the archived
  // bar. Nothing a moderator alone reads (audit, bans, invites, embedding) is on this list.
  ['GET', /^\/api\/rooms\/(?<room>[^/]+)\/admin$/],
  // A file by id; its route serves only files of the session's own room (files/routes.ts).
  ['GET', /^\/api\/files\/[^/]+$/],
  ['PUT', /^\/api\/rooms\/(?<room>[^/]+)\/read$/],
  // One person by id, as a mention in the room names them (ids are unguessable; the name
  // is what every reader of the room sees). Never the search by name prefix.
  ['GET', /^\/api\/users\/[^/]+$/],
  ['POST', /^\/api\/embed\/(?<room>[^/]+)\/logout$/],
  // A visitor switching to a Parlor account (./switch.ts refuses every other caller).
  ['POST', /^\/api\/rooms\/(?<room>[^/]+)\/widget-session\/switch$/],
];

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function routeAllowed(method: string, path: string, roomId: string): boolean {
  return VISITOR_ROUTES.some(([m, pattern]) => {
    if (m !== method) return false;
    const match = pattern.exec(path);
    if (!match) return false;
    const room = match.groups?.room;
    return room === undefined || room === roomId || decoded(room) === roomId;
  });
}

/**
 * The `Origin` rule for sessions: a visitor's is refused from any site but Parlor's own and
 * the one it was made on. Other sessions keep the app's rules (mutations are refused from
 * foreign origins before this; a foreign GET gets no CORS, so its page cannot read it) except
 * on a socket, which a foreign page could read: the upgrade guard lets a room's listed sites
 * reach here for that room's socket, and this is where any session but theirs is refused.
 */
export function assertSessionOrigin(c: Context<AppEnv>, embed: SessionEmbed | null): void {
  const origin = c.req.header('origin');
  if (!origin || originAllowed(origin, c.env) || origin === embed?.origin) return;
  if (!embed && c.req.header('upgrade')?.toLowerCase() !== 'websocket') return;
  throw new ApiError(403, 'origin_not_allowed', `Requests from ${origin} are not allowed`);
}

const SITE_GONE = 'This site may no longer embed this chat';

/**
 * Why an ended session ended, as the widget says it: a widget session whose site is no
 * longer on its room's list (ended when the owner saved the list) is told so (`field`
 * `origin`: starting again would be refused too); any other, the usual sentence.
 */
export async function sessionEnded(c: Context<AppEnv>): Promise<ApiError> {
  const row = await c.env.DB.prepare(
    `SELECT s.embed_room_id AS room, s.embed_origin AS origin,
       EXISTS (SELECT 1 FROM embed_origins e
               WHERE e.room_id = s.embed_room_id AND e.origin = s.embed_origin) AS listed
     FROM sessions s WHERE s.id = ?1 AND s.user_id = ?2`,
  )
    .bind(c.var.claims.sessionId, c.var.claims.userId)
    .first<{ room: string | null; origin: string | null; listed: number }>();
  const gone =
    row?.room &&
    row.origin &&
    !(row.room === GLOBAL_ROOM_ID
      ? globalEmbedOrigins(c.env).includes(row.origin)
      : row.listed === 1);
  return gone
    ? new ApiError(401, 'session_expired', SITE_GONE, 'origin')
    : new ApiError(401, 'session_expired', 'This session has ended; sign in again');
}

/**
 * Refuses a visitor's session outside its room, or once its site is off the room's list. A
 * room's list revokes its unlisted sessions when it is saved (settings.ts); the global room's
 * is configuration, which changes with a deploy and runs no code, so a session of a site it
 * no longer lists is revoked here, at its first use after: listing the site again revives it
 * no more than an owner's list would.
 */
export async function assertEmbedScope(
  c: Context<AppEnv>,
  embed: SessionEmbed,
  sessionId: string,
): Promise<void> {
  // A session made on a value that is no exact origin (a wildcard row saved before the rule
  // was strict) never holds, whatever the rows say.
  const listed =
    embedOriginsOnly([embed.origin]).length === 1 &&
    (embed.roomId === GLOBAL_ROOM_ID
      ? globalEmbedOrigins(c.env).includes(embed.origin)
      : embed.listed);
  if (!listed) {
    await c.env.DB.prepare(
      'UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL',
    )
      .bind(sessionId, Date.now())
      .run();
    // `origin`: the widget says the site cannot show the chat, not "send to start again".
    throw new ApiError(401, 'session_expired', SITE_GONE, 'origin');
  }
  if (!routeAllowed(c.req.method, c.req.path, embed.roomId)) {
    throw new ApiError(
      403,
      'forbidden',
      'A widget visitor can only use the chat they were made in',
    );
  }
}
