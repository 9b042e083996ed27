/**
 * Lobby frames that keep every tab's chat list where `GET /api/chats` would put it, beyond
 * new messages (`activity`): the user's read cursor moved in another tab, or they are no
 * longer a member of a chat. See docs/protocol.md.
 */
import * as z from 'zod/mini';

/** The user's read cursor in `roomId` moved to `seq` (in any of their tabs). */
export const chatReadFrame = z.object({
  type: z.literal('chat_read'),
  roomId: z.string(),
  seq: z.number(),
});

/** The user left, was removed or banned from `roomId`, or it was deleted: off the list. */
export const chatGoneFrame = z.object({
  type: z.literal('chat_gone'),
  roomId: z.string(),
});
