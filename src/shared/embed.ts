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
