/**
 * `GET /api/rooms/:id/pins`: the messages pinned in a chat, the latest pin first, for anyone
 * who may read its history. Pins are made on the chat socket (`pin` frames, notices in the
 * room's order); this reads their D1 copy, so it lags a pin by one copy (about 100 ms).
 */
import { Hono } from 'hono';
import type { PinsPage } from '../shared/pins';
import { LIMITS } from '../shared/limits';
import { FILES_COLUMN, MESSAGE_COLUMNS, toMessage, type MessageRow } from '../durable/message-rows';
import { roomAccess } from './access';
import type { AppEnv } from './context';
import { requireUser } from './middleware';

type PinRow = MessageRow & { pinned_by: string; pinned_at: number };

export const pins = new Hono<AppEnv>().get('/:id/pins', requireUser, async (c) => {
  const roomId = c.req.param('id');
  const viewer = c.var.user.id;
  // 404 for a room one may not see (a private room, another pair's DM), 403 when banned.
  await roomAccess(c.env.DB, roomId, viewer);
  const { results } = await c.env.DB.prepare(
    `SELECT ${MESSAGE_COLUMNS}, ${FILES_COLUMN}, p.pinned_by, p.pinned_at
     FROM pins p
     JOIN messages m ON m.room_id = p.room_id AND m.seq = p.seq AND m.deleted_at IS NULL
     JOIN users u ON u.id = m.author_id
     WHERE p.room_id = ?1
     ORDER BY p.pinned_at DESC, p.seq DESC LIMIT ?2`,
  )
    .bind(roomId, LIMITS.pinsPerChat)
    .all<PinRow>();
  const body: PinsPage = {
    pins: results.map((row) => ({
      message: { ...toMessage(row, viewer), pinned: true },
      pinnedBy: row.pinned_by,
      pinnedAt: row.pinned_at,
    })),
  };
  return c.json(body, 200);
});
