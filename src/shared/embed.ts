/**
 * What crosses the wire for embedding: a room's list of sites allowed to embed it, and the
 * public facts the widget's loader asks for. zod/mini, like the rest of `src/shared` is
 * becoming.
 */
import * as z from 'zod/mini';

/** A room may list at most this many embedding origins. */
export const MAX_EMBED_ORIGINS = 20;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * Why `value` is not an embedding origin, or null when it is one. An origin is exactly
 * `scheme://host[:port]` (no path, query, fragment or credentials, as a browser names it in
 * `Origin`): `https://` for any host; `http://` only for `localhost` or `127.0.0.1` with an
 * explicit port, for development.
 */
export function embedOriginProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.origin === 'null') return 'must be an http(s) origin';
  // `new URL` adds a "/" path and lower-cases the host; anything else given means more
  // than an origin was written.
  const bare = (value.endsWith('/') ? value.slice(0, -1) : value).toLowerCase();
  if (bare !== url.origin) {
    return `must be exactly an origin, like ${url.origin}`;
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') {
    if (!LOCAL_HOSTS.has(url.hostname)) return 'must use https:// (http:// only for localhost)';
    if (!url.port) return 'on http://localhost must name its port';
    return null;
  }
  return 'must use https://';
}

/** One embedding origin, normalised to the form browsers send (no trailing slash). */
export const embedOrigin = z.pipe(
  z.string().check(
    z.maxLength(200),
    z.refine((v) => embedOriginProblem(v) === null, {
      error: (issue) => `${String(issue.input)} ${embedOriginProblem(String(issue.input))}`,
    }),
  ),
  z.transform((v) => new URL(v).origin),
);

/** `PUT /api/rooms/:id/embed-origins`: the whole list, replacing the old one. */
export const embedOriginsBody = z.object({
  origins: z
    .array(embedOrigin)
    .check(z.maxLength(MAX_EMBED_ORIGINS, `At most ${MAX_EMBED_ORIGINS} origins`)),
});
export type EmbedOriginsBody = z.infer<typeof embedOriginsBody>;

/** The answer of both embed-origins routes: the list as stored, sorted. */
export const embedOriginsResponse = z.object({ origins: z.array(z.string()) });
export type EmbedOriginsResponse = z.infer<typeof embedOriginsResponse>;

/** `GET /api/embed/:room`, asked by the loader from the host page: may it embed this room? */
export const embedInfoResponse = z.object({
  room: z.object({ id: z.string(), name: z.string() }),
});
export type EmbedInfoResponse = z.infer<typeof embedInfoResponse>;

/**
 * `POST /api/visitors`, sent by the widget's page: a new visitor of `room` as embedded on
 * `origin` (the frame's parent, which `frame-ancestors` limits to the room's list), named
 * `name` (the same rules as a guest's name).
 */
export const visitorBody = z.object({
  room: z.string().check(z.minLength(1), z.maxLength(100)),
  origin: embedOrigin,
  name: z.string(),
});
export type VisitorBody = z.infer<typeof visitorBody>;

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
  }),
  z.object({
    ns: z.literal(WIDGET_NS),
    type: z.literal('theme'),
    theme: z.enum(['light', 'dark']),
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
