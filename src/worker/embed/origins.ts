/**
 * Who may embed a room: one read that every embedding decision goes through (the framed
 * page, CORS, and the widget's own routes), so the rule lives in one place.
 */
import { GLOBAL_ROOM_ID } from '../db/schema';
import { originList } from '../middleware';

export interface EmbeddableRoom {
  id: string;
  name: string;
  kind: 'global' | 'public' | 'dm';
  createdBy: string | null;
  /** Origins allowed to frame the room's widget and call the widget's API routes. */
  origins: string[];
}

/** `GLOBAL_EMBED_ORIGINS`: the deployment's list for the global room, which has no owner. */
export function globalEmbedOrigins(env: Env): string[] {
  return originList(env.GLOBAL_EMBED_ORIGINS);
}

interface Row {
  id: string;
  name: string;
  kind: EmbeddableRoom['kind'];
  created_by: string | null;
  origins: string | null;
}

/** The room and its allowed origins in one statement; null when there is no such room. */
export async function embeddableRoom(env: Env, roomId: string): Promise<EmbeddableRoom | null> {
  const row = await env.DB.prepare(
    // The owner (issue 12) sets the list; a private room is never embedded (it is not found).
    `SELECT r.id, r.name, r.kind, r.owner_id AS created_by,
       (SELECT json_group_array(origin) FROM (SELECT origin FROM embed_origins
          WHERE room_id = r.id ORDER BY origin)) AS origins
     FROM rooms r WHERE r.id = ?1 AND r.is_private = 0`,
  )
    .bind(roomId)
    .first<Row>();
  if (!row) return null;
  // A DM is private to its two members and is never embedded, whatever its rows say.
  const origins =
    row.kind === 'dm'
      ? []
      : row.id === GLOBAL_ROOM_ID
        ? globalEmbedOrigins(env)
        : (JSON.parse(row.origins ?? '[]') as string[]);
  return { id: row.id, name: row.name, kind: row.kind, createdBy: row.created_by, origins };
}

/** Whether `origin` (a browser's `Origin`, exactly) may embed the room. */
export function mayEmbed(room: EmbeddableRoom | null, origin: string | undefined): boolean {
  return !!room && !!origin && room.origins.includes(origin);
}
