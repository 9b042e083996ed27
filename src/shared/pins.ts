/**
 * `GET /api/rooms/:id/pins`: a chat's pinned messages, the latest pin first. Only the
 * pinned list (a dialog loaded on demand) parses it, so it is not in api.ts, whose schemas
 * the first screen carries.
 */
import * as z from 'zod/mini';
import { message } from './protocol';

export const pinnedMessage = z.object({
  message,
  /** Who pinned it, by id: clients name people by id. */
  pinnedBy: z.string(),
  pinnedAt: z.number(),
});
export type PinnedMessage = z.infer<typeof pinnedMessage>;

export const pinsResponse = z.object({ pins: z.array(pinnedMessage) });
export type PinsPage = z.infer<typeof pinsResponse>;
