/**
 * "Chat as your Parlor account" in the widget (docs/widget.md): a popup on Parlor's own
 * origin, where the session cookie is first-party, asks the signed-in person to allow one
 * embedding site to chat as them in one room, and hands the widget a session scoped to
 * that room and that site.
 */
import * as z from 'zod/mini';
import { WIDGET_NS } from './embed';

/** `GET /api/rooms/:id/widget-session?origin=`: what the popup asks the person about. */
export const widgetSessionPreview = z.object({
  room: z.object({ id: z.string(), name: z.string() }),
  origin: z.string(),
  /** Whether the person must join the room first (a public room they are not in). */
  joins: z.boolean(),
});
export type WidgetSessionPreview = z.infer<typeof widgetSessionPreview>;

/** `POST /api/rooms/:id/widget-session`: the new session's token, for that room and site. */
export const widgetSessionResponse = z.object({
  token: z.string(),
  roomId: z.string(),
  origin: z.string(),
});

/**
 * What the popup posts to its opener (the widget's frame, on Parlor's origin, so posted to
 * Parlor's own origin): the token and the site it is for.
 */
export const accountHandoff = z.object({
  ns: z.literal(WIDGET_NS),
  type: z.literal('account'),
  token: z.string().check(z.minLength(1), z.maxLength(4096)),
  origin: z.string(),
});
export type AccountHandoff = z.infer<typeof accountHandoff>;

/**
 * `POST /api/rooms/:id/widget-session/switch`, sent by the widget's frame with the visitor's
 * token in `Authorization`: the account's widget session the popup just handed over, which
 * replaces the visitor (the visitor's sessions end). Answers `{ user }`, the account.
 */
export const visitorSwitchBody = z.object({
  token: z.string().check(z.minLength(1), z.maxLength(4096)),
});

/** The popup's path on Parlor's origin. */
export const HANDOFF_PATH = '/widget-account';

/** `visitor`: asked from a visitor's chat, so the popup says the visitor will end. */
export function handoffUrl(roomId: string, origin: string, visitor = false): string {
  const params = new URLSearchParams({ room: roomId, origin });
  if (visitor) params.set('visitor', '1');
  return `${HANDOFF_PATH}?${params}`;
}
