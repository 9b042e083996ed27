/**
 * The embedding origins the server reads from outside: a room's list, a visitor's site and an
 * account widget session's site, all through one strict parser (`./origin.ts`). Kept apart
 * from `./embed.ts`, which the widget's panel loads: the panel never parses an origin, and
 * these schemas are built when their module loads, so bundling them there costs its budget.
 */
import * as z from 'zod/mini';
import { MAX_EMBED_ORIGINS } from './embed';
import { parseOrigin, type ParsedOrigin } from './origin';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * `value` read as an embedding origin: an exact origin (`parseOrigin`, src/shared/origin.ts:
 * no wildcard, path, query, fragment or credentials, a valid host and port), normalised to
 * the form browsers send in `Origin`; `https://` for any host, `http://` only for `localhost`
 * or `127.0.0.1` with an explicit port, for development.
 */
export function readEmbedOrigin(value: string): ParsedOrigin {
  const parsed = parseOrigin(value);
  if (!parsed.ok) return parsed;
  const url = new URL(parsed.origin);
  if (url.protocol === 'http:') {
    if (!LOCAL_HOSTS.has(url.hostname)) {
      return { ok: false, problem: 'must use https:// (http:// only for localhost)' };
    }
    if (!url.port) return { ok: false, problem: 'on http://localhost must name its port' };
  }
  return parsed;
}

/**
 * The origins of `values` that are embedding origins exactly as written (normalised), in
 * order: what a stored or configured list may contribute to `frame-ancestors`, CORS or a
 * session check. Anything else (a row saved before the rule was strict, a typo in the
 * configuration) is left out, never passed on.
 */
export function embedOriginsOnly(values: readonly string[]): string[] {
  return values.filter((v) => {
    const parsed = readEmbedOrigin(v);
    return parsed.ok && parsed.origin === v;
  });
}

const problemOf = (value: string) => {
  const parsed = readEmbedOrigin(value);
  return parsed.ok ? null : parsed.problem;
};

/**
 * One embedding origin, normalised to the form browsers send (no trailing slash, lower
 * case, no default port). A refusal names the value and the rule it breaks.
 */
export const embedOrigin = z.pipe(
  z.string().check(
    z.maxLength(200, 'An origin is at most 200 characters'),
    z.refine((v) => problemOf(v) === null, {
      error: (issue) => {
        const value = String(issue.input);
        return `${value === '' ? 'An origin' : value} ${problemOf(value)}`;
      },
    }),
  ),
  z.transform((v) => {
    const parsed = readEmbedOrigin(v);
    return parsed.ok ? parsed.origin : v;
  }),
);

/** `PUT /api/rooms/:id/embed-origins`: the whole list, replacing the old one. */
export const embedOriginsBody = z.object({
  origins: z
    .array(embedOrigin)
    .check(z.maxLength(MAX_EMBED_ORIGINS, `At most ${MAX_EMBED_ORIGINS} origins`)),
});
export type EmbedOriginsBody = z.infer<typeof embedOriginsBody>;

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

/** `GET /api/visitors/preview`: a room's latest messages for someone not chatting yet. */
export const visitorPreviewQuery = z.object({
  room: z.string().check(z.minLength(1), z.maxLength(100)),
  origin: embedOrigin,
});

/** `GET` and `POST /api/rooms/:id/widget-session`: the site the session would be for. */
export const widgetSessionBody = z.object({ origin: embedOrigin });
