/**
 * What crosses the wire for embedding: a room's list of sites allowed to embed it, and the
 * public facts the widget's loader asks for. zod/mini, like the rest of `src/shared` is
 * becoming. The origins the server reads (the list's body, a visitor's site) are parsed in
 * `./embed-origins.ts`, which the widget's panel does not load.
 */
import * as z from 'zod/mini';

/** A room may list at most this many embedding origins. */
export const MAX_EMBED_ORIGINS = 20;

/**
 * The answer of both embed-origins routes: the list as stored, sorted; `private` when the
 * room is private, so embedded nowhere until it is public again.
 */
export const embedOriginsResponse = z.object({
  origins: z.array(z.string()),
  private: z.optional(z.boolean()),
});
export type EmbedOriginsResponse = z.infer<typeof embedOriginsResponse>;

/** `GET /api/embed/:room`, asked by the loader from the host page: may it embed this room? */
export const embedInfoResponse = z.object({
  room: z.object({ id: z.string(), name: z.string() }),
});
export type EmbedInfoResponse = z.infer<typeof embedInfoResponse>;

/** The namespace of every message between the host page's loader and the widget's frame. */
export const WIDGET_NS = 'parlor:widget:v1';

/** What the host page's loader may tell the widget's frame (anything else is ignored). */
export const hostMessage = z.discriminatedUnion('type', [
  z.object({
    ns: z.literal(WIDGET_NS),
    type: z.literal('init'),
    /** The visitor token the host page kept, or null for a new visitor. */
    token: z.nullable(z.string().check(z.maxLength(4096))),
    theme: z.enum(['light', 'dark']),
    /** The room's name (the loader asked `GET /api/embed/:room`) or the site's own title. */
    title: z.string().check(z.maxLength(200)),
    greeting: z.optional(z.string().check(z.maxLength(500))),
    /** The launcher's panel shows `title` in its own bar, so the frame does not repeat it. */
    titleShown: z.optional(z.boolean()),
  }),
  z.object({
    ns: z.literal(WIDGET_NS),
    type: z.literal('theme'),
    theme: z.enum(['light', 'dark']),
  }),
  /** The room's name, when the loader learns it after `init`. */
  z.object({
    ns: z.literal(WIDGET_NS),
    type: z.literal('title'),
    title: z.string().check(z.maxLength(200)),
  }),
  z.object({ ns: z.literal(WIDGET_NS), type: z.literal('logout') }),
]);
export type HostMessage = z.infer<typeof hostMessage>;

/**
 * What the frame tells the loader: it is ready for `init`; the visitor's token to keep (null:
 * forget it); Escape was pressed in it; a new message arrived.
 */
export type FrameMessage =
  | { ns: typeof WIDGET_NS; type: 'ready' }
  | { ns: typeof WIDGET_NS; type: 'session'; token: string | null }
  | { ns: typeof WIDGET_NS; type: 'escape' }
  | { ns: typeof WIDGET_NS; type: 'message'; seq: number; author: string; text: string };

/** `POST /api/embed/:room/identify`, from the host page: the token the site's server signed. */
export const identifyBody = z.object({
  token: z.string().check(z.minLength(1), z.maxLength(4096)),
});

/**
 * The claims of a site's identity token besides `aud` (the room) and `exp` (at most 10 minutes
 * ahead), which jose checks: who the user is on the site, and how to show them.
 */
export const identityClaims = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(200)),
  name: z.string(),
  email: z.optional(z.string().check(z.maxLength(254))),
  avatar: z.optional(z.string().check(z.maxLength(2000))),
});

/** The longest an identity token may live: a site signs one per page, just before it is used. */
export const IDENTITY_TOKEN_MAX_SECONDS = 10 * 60;

/** `POST /api/rooms/:id/identity-secret`: the new secret, this once. */
export const identitySecretResponse = z.object({ secret: z.string(), createdAt: z.number() });
/** `GET /api/rooms/:id/identity-secret`: whether the room has one, and since when. */
export const identitySecretStatus = z.object({
  configured: z.boolean(),
  createdAt: z.nullable(z.number()),
});
