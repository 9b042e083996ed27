/**
 * Middleware shared by every `/api/*` route: the database handle, CSRF and body-size
 * guards for state-changing requests, and the session check.
 */
import { drizzle } from 'drizzle-orm/d1';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import type * as z from 'zod/mini';
import { LIMITS } from '../shared/limits';
import { verifySession, SESSION_COOKIE } from './auth/session';
import type { AppEnv, Claims, Db } from './context';
import * as schema from './db/schema';
import { assertEmbedScope, assertSessionOrigin, sessionEnded } from './embed/scope';
import { ApiError } from './errors';

/**
 * One drizzle handle per D1 binding (the same object for every request an isolate serves):
 * building one maps the schema's tables and relations, 20–40 µs that every request, socket
 * upgrades included, paid again. The handle holds no per-request state.
 */
const handles = new WeakMap<D1Database, Db>();

export const withDb = createMiddleware<AppEnv>(async (c, next) => {
  let db = handles.get(c.env.DB);
  if (!db) {
    db = drizzle(c.env.DB, { schema });
    handles.set(c.env.DB, db);
  }
  c.set('db', db);
  await next();
});

/** A comma-separated list of origins from configuration, each normalised by `URL`. */
export function originList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      try {
        return new URL(o).origin;
      } catch {
        return o;
      }
    });
}

/**
 * Whether a browser's `Origin` may call the API: one of the app's own origins (`APP_ORIGINS`)
 * or a host the widget is embedded on (`ALLOWED_ORIGINS`). Both are configured lists: the
 * request's own `Host` is never trusted, since a page on a rebinding domain that resolves to
 * a local dev server sends its own name as `Host` and as `Origin` alike.
 */
export function originAllowed(origin: string, env: Env): boolean {
  return [...originList(env.APP_ORIGINS), ...originList(env.ALLOWED_ORIGINS)].includes(origin);
}

/**
 * Headers on every API answer (errors included): never cached (they are private to a
 * session, or say something about one), never sniffed as another type, never framed.
 */
export const apiHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.status === 101) return;
  // A route that sets its own caching and CSP (avatars: immutable, by content hash) keeps them.
  if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  c.res.headers.set('x-content-type-options', 'nosniff');
  c.res.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  // A file download sets its own, stricter one (files/routes.ts).
  if (!c.res.headers.has('content-security-policy')) {
    c.res.headers.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  }
});

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF: a state-changing request must be JSON (a cross-site form cannot send that without
 * a CORS preflight) and, when a browser names its Origin, come from an allowed one.
 */
export const guardMutations = createMiddleware<AppEnv>(async (c, next) => {
  if (!MUTATING.has(c.req.method)) return next();
  const origin = c.req.header('origin');
  if (origin && !originAllowed(origin, c.env)) {
    throw new ApiError(403, 'origin_not_allowed', `Requests from ${origin} are not allowed`);
  }
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > LIMITS.bodyBytes) throw tooLarge();
  await next();
});

function tooLarge(): ApiError {
  return new ApiError(413, 'payload_too_large', `Bodies are limited to ${LIMITS.bodyBytes} bytes`);
}

/** Reads the body (refusing more than LIMITS.bodyBytes even without Content-Length) and parses it. */
export async function parseBody<S extends z.ZodMiniType>(
  req: Request | { raw: Request },
  schemaFor: S,
): Promise<z.output<S>> {
  const raw = 'raw' in req ? req.raw : req;
  const bytes = await readLimited(raw);
  let json: unknown;
  try {
    json = bytes.length ? JSON.parse(new TextDecoder().decode(bytes)) : {};
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON');
  }
  return parseInput(schemaFor, json);
}

/** Parses any outside input; the first issue becomes a 400 naming its field. */
export function parseInput<S extends z.ZodMiniType>(schemaFor: S, input: unknown): z.output<S> {
  const result = schemaFor.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  // zod does not report the offending input by default, so look it up to tell a missing
  // field from a wrongly typed one.
  const missing = issue?.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
  const message = missing ? `${field ?? 'value'} is required` : (issue?.message ?? 'Invalid input');
  throw new ApiError(400, 'validation_failed', message, field);
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * The body, refusing more than `max` bytes (an API body's LIMITS.bodyBytes unless given) even
 * without a Content-Length: `refuse` makes the error.
 */
export async function readLimited(
  req: Request,
  max: number = LIMITS.bodyBytes,
  refuse: () => ApiError = tooLarge,
): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw refuse();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * The session token: `Authorization: Bearer` (the widget, scripts), or for a WebSocket the
 * subprotocol `token.<jwt>` (browsers cannot set headers on a WebSocket), else the cookie.
 */
export function sessionToken(req: Request, cookie: string | undefined): string | undefined {
  const auth = req.headers.get('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  const protocols = req.headers.get('sec-websocket-protocol') ?? '';
  const fromProtocol = protocols
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith('token.'));
  if (fromProtocol) return fromProtocol.slice('token.'.length);
  return cookie;
}

/** Verifies the token alone: signature, pinned algorithm, issuer, audience and expiry. */
export const requireClaims = createMiddleware<AppEnv>(async (c, next) => {
  const token = sessionToken(c.req.raw, getCookie(c, SESSION_COOKIE));
  if (!token) throw new ApiError(401, 'unauthorized', 'Sign in first');
  c.set('claims', await verifySession(c.env.SESSION_SECRET, token));
  await next();
});

/** The user of a live (unrevoked, unexpired) session, as one statement. */
function liveSessionUser(db: D1Database, claims: Claims): D1PreparedStatement {
  return db
    .prepare(
      `SELECT u.*, s.embed_room_id, s.embed_origin,
         EXISTS (SELECT 1 FROM embed_origins e
                 WHERE e.room_id = s.embed_room_id AND e.origin = s.embed_origin) AS embed_listed
       FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = ?1 AND s.user_id = ?2 AND s.revoked_at IS NULL AND s.expires_at > ?3`,
    )
    .bind(claims.sessionId, claims.userId, Date.now());
}

interface UserRecord {
  id: string;
  username: string;
  username_key: string;
  password_hash: string | null;
  email: string | null;
  color: string;
  is_guest: number;
  guest_device_hash: string | null;
  name_skeleton: string | null;
  is_visitor: number;
  identity_key: string | null;
  visitor_site: string | null;
  created_at: number;
  email_verified_at: number | null;
  deleted_at: number | null;
  profile: string | null;
  display_skeleton: string | null;
  time_zone: string | null;
  read_receipts: number;
  embed_room_id: string | null;
  embed_origin: string | null;
  embed_listed: number;
}

async function acceptSession(c: Context<AppEnv>, row: UserRecord | undefined): Promise<void> {
  if (!row) throw await sessionEnded(c);
  const embed =
    row.embed_room_id && row.embed_origin
      ? { roomId: row.embed_room_id, origin: row.embed_origin, listed: row.embed_listed === 1 }
      : null;
  if (embed) await assertEmbedScope(c, embed, c.var.claims.sessionId);
  assertSessionOrigin(c, embed);
  c.set('user', {
    id: row.id,
    username: row.username,
    usernameKey: row.username_key,
    passwordHash: row.password_hash,
    email: row.email,
    color: row.color,
    isGuest: row.is_guest === 1,
    guestDeviceHash: row.guest_device_hash,
    nameSkeleton: row.name_skeleton,
    isVisitor: row.is_visitor === 1,
    identityKey: row.identity_key,
    visitorSite: row.visitor_site,
    createdAt: row.created_at,
    emailVerifiedAt: row.email_verified_at,
    deletedAt: row.deleted_at,
    profile: row.profile,
    displaySkeleton: row.display_skeleton,
    timeZone: row.time_zone,
    readReceipts: row.read_receipts === 1,
  });
  c.set('sessionId', c.var.claims.sessionId);
  c.set('widgetRoom', embed?.roomId ?? null);
}

/**
 * Runs a handler's read in the same D1 round trip as the session check (after
 * `requireClaims`): one batch, then 401 if the session has ended, else the read's rows.
 */
export async function readWithSession<T>(
  c: Context<AppEnv>,
  statement: D1PreparedStatement,
): Promise<T[]> {
  const [session, result] = await c.env.DB.batch<unknown>([
    liveSessionUser(c.env.DB, c.var.claims),
    statement,
  ]);
  await acceptSession(c, session!.results[0] as UserRecord | undefined);
  return result!.results as T[];
}

/** `readWithSession` for several reads in the same round trip: each read's rows, in order. */
export async function readAllWithSession(
  c: Context<AppEnv>,
  statements: D1PreparedStatement[],
): Promise<unknown[][]> {
  const [session, ...results] = await c.env.DB.batch<unknown>([
    liveSessionUser(c.env.DB, c.var.claims),
    ...statements,
  ]);
  await acceptSession(c, session!.results[0] as UserRecord | undefined);
  return results.map((r) => r.results);
}

/** Verifies the token and that its session row is live; puts `user` and `sessionId` on c.var. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  await requireClaims(c, async () => {
    const row = await liveSessionUser(c.env.DB, c.var.claims).first<UserRecord>();
    await acceptSession(c, row ?? undefined);
    await next();
  });
});
