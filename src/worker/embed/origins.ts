/**
 * Who may embed a room: one read that every embedding decision goes through (the framed
 * page, CORS, and the widget's own routes), so the rule lives in one place.
 */
import { embedOriginsOnly, readEmbedOrigin } from '../../shared/embed-origins';
import { GLOBAL_ROOM_ID } from '../db/schema';
import { ApiError } from '../errors';

export interface EmbeddableRoom {
  id: string;
  name: string;
  kind: 'global' | 'public' | 'dm';
  createdBy: string | null;
  /** Origins allowed to frame the room's widget and call the widget's API routes. */
  origins: string[];
  /** Found only for its owner's settings (`orPrivate`): while private it is embedded nowhere. */
  private: boolean;
}

/**
 * `GLOBAL_EMBED_ORIGINS`: the deployment's list for the global room, which has no owner.
 * Comma-separated, each entry held to the rule an owner's list is (`readEmbedOrigin`): an
 * entry that breaks it (a wildcard, a path) is left out rather than put in a CSP header.
 */
export function globalEmbedOrigins(env: Env): string[] {
  const entries = (env.GLOBAL_EMBED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      const parsed = readEmbedOrigin(o);
      return parsed.ok ? parsed.origin : o;
    });
  return embedOriginsOnly(entries);
}

interface Row {
  id: string;
  name: string;
  kind: EmbeddableRoom['kind'];
  created_by: string | null;
  origins: string | null;
  is_private: number;
}

/** `json_group_array`'s answer, read as the list of strings it is. */
function storedList(json: string | null): string[] {
  const list: unknown = JSON.parse(json ?? '[]');
  return Array.isArray(list) ? list.filter((o): o is string => typeof o === 'string') : [];
}

/**
 * The room and its allowed origins in one statement; null when there is no such room. A
 * private room is never embedded, so it is not found, except with `orPrivate` (its owner's
 * settings: the list is kept, in force again once the room is public).
 */
export async function embeddableRoom(
  env: Env,
  roomId: string,
  { orPrivate = false }: { orPrivate?: boolean } = {},
): Promise<EmbeddableRoom | null> {
  const row = await env.DB.prepare(
    // The owner (issue 12) sets the list.
    `SELECT r.id, r.name, r.kind, r.owner_id AS created_by, r.is_private,
       (SELECT json_group_array(origin) FROM (SELECT origin FROM embed_origins
          WHERE room_id = r.id ORDER BY origin)) AS origins
     FROM rooms r WHERE r.id = ?1 AND (r.is_private = 0 OR ?2)`,
  )
    .bind(roomId, orPrivate ? 1 : 0)
    .first<Row>();
  if (!row) return null;
  // A DM is private to its two members and is never embedded, whatever its rows say. A row
  // that is not an exact embedding origin (saved before the rule was strict: a wildcard)
  // decides nothing: not the CSP, not CORS, not a visitor's site.
  const origins =
    row.kind === 'dm'
      ? []
      : row.id === GLOBAL_ROOM_ID
        ? globalEmbedOrigins(env)
        : embedOriginsOnly(storedList(row.origins));
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    createdBy: row.created_by,
    origins,
    private: row.is_private === 1,
  };
}

/** Whether `origin` (a browser's `Origin`, exactly) may embed the room. */
export function mayEmbed(room: EmbeddableRoom | null, origin: string | undefined): boolean {
  return !!room && !!origin && room.origins.includes(origin);
}

/** The room `origin` may embed: else 404 (no such room, or private) or 403 (not listed). */
export async function embeddedOn(env: Env, roomId: string, origin: string) {
  const room = await embeddableRoom(env, roomId);
  if (!room) throw new ApiError(404, 'room_not_found', 'No such room');
  if (!mayEmbed(room, origin)) {
    throw new ApiError(403, 'origin_not_allowed', 'This site may not embed this room');
  }
  return room;
}

/**
 * A widget session just made for the room on `origin`, checked again now that it exists: the
 * room may have gone private, or the site off its list, since the caller's check. That change
 * ends the sessions it finds; one written meanwhile is ended here, and the caller is refused
 * as the change would refuse it.
 */
export async function confirmEmbedded(
  env: Env,
  sessionId: string,
  roomId: string,
  origin: string,
): Promise<void> {
  try {
    await embeddedOn(env, roomId, origin);
  } catch (err) {
    await env.DB.prepare('UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL')
      .bind(sessionId, Date.now())
      .run();
    throw err;
  }
}
