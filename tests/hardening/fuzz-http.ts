/**
 * Mutated HTTP requests on every route of docs/protocol.md (listed here; the workerd security
 * sweep, tests/integration/security-sweep.test.ts, reads the app's own list): methods, ids, queries, bodies,
 * content types, origins and credentials. Each answer is checked: never a 5xx (but the
 * documented 503 `server_busy`), every refusal `{ error: { code, message } }` with a code of
 * src/shared/errors.ts, and the API's security headers on every `/api` answer.
 */
import { ERROR_CODES } from '../../src/shared/errors';
import { LIMITS } from '../../src/shared/limits';
import { hostileValue, mutateObject, mutateText } from './mutate';
import type { Rng } from './rng';

interface Route {
  method: string;
  path: string;
  body?: Record<string, never>;
  query?: string[];
}

const ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/auth/register',
    body: { username: 'u', password: 'p', email: 'e' } as never,
  },
  { method: 'POST', path: '/auth/login', body: { username: 'u', password: 'p' } as never },
  { method: 'POST', path: '/auth/guest', body: { name: 'n' } as never },
  { method: 'POST', path: '/auth/claim', body: { password: 'p' } as never },
  { method: 'POST', path: '/auth/logout', body: {} as never },
  { method: 'GET', path: '/me' },
  { method: 'PATCH', path: '/me', body: { username: 'u' } as never },
  { method: 'GET', path: '/rooms', query: ['q', 'cursor', 'limit'] },
  { method: 'GET', path: '/rooms/:id' },
  { method: 'POST', path: '/rooms', body: { name: 'n', topic: 't' } as never },
  { method: 'POST', path: '/rooms/:id/join', body: {} as never },
  { method: 'POST', path: '/rooms/:id/leave', body: {} as never },
  { method: 'GET', path: '/rooms/:id/online', query: ['after', 'limit'] },
  { method: 'GET', path: '/rooms/:id/messages', query: ['before', 'limit'] },
  { method: 'PUT', path: '/rooms/:id/read', body: { seq: 1 } as never },
  { method: 'GET', path: '/users', query: ['prefix'] },
  { method: 'POST', path: '/dms', body: { userId: 'u' } as never },
  { method: 'POST', path: '/dms/group', body: { userIds: ['u', 'v'] } as never },
  { method: 'GET', path: '/chats' },
  { method: 'GET', path: '/presence' },
  { method: 'GET', path: '/rooms/:id/ws', query: ['after'] },
  { method: 'GET', path: '/lobby/ws' },
  // Issue 11: attention.
  { method: 'PUT', path: '/rooms/:id/notify', body: { level: 'all' } as never },
  { method: 'GET', path: '/me/dnd' },
  { method: 'PUT', path: '/me/dnd', body: { until: 1 } as never },
  // Issue 12: profiles, files, account care, room administration and invites. The fuzz users
  // are members, not the room's owner or moderators: the admin routes answer them 403.
  { method: 'PATCH', path: '/me/profile', body: { displayName: 'd' } as never },
  { method: 'PUT', path: '/me/presence', body: { state: 'away' } as never },
  { method: 'GET', path: '/users/:id/profile' },
  { method: 'GET', path: '/rooms/:id/receipt' },
  { method: 'GET', path: '/avatars/:id/abc' },
  { method: 'GET', path: '/files/:id' },
  { method: 'GET', path: '/me/account' },
  { method: 'PUT', path: '/me/email', body: { email: 'a@b.c', password: 'p' } as never },
  { method: 'POST', path: '/me/revoke-others', body: {} as never },
  { method: 'POST', path: '/auth/reset-request', body: { email: 'a@b.c' } as never },
  { method: 'POST', path: '/auth/reset', body: { token: 't', password: 'p' } as never },
  { method: 'GET', path: '/rooms/:id/admin' },
  { method: 'GET', path: '/rooms/:id/audit' },
  { method: 'GET', path: '/rooms/:id/bans' },
  { method: 'GET', path: '/rooms/:id/invites' },
  { method: 'GET', path: '/rooms/:id/members', query: ['q', 'limit'] },
  { method: 'PATCH', path: '/rooms/:id', body: { name: 'n', topic: 't' } as never },
  { method: 'PUT', path: '/rooms/:id/archive', body: { archived: true } as never },
  { method: 'PUT', path: '/rooms/:id/slow-mode', body: { seconds: 5 } as never },
  { method: 'PUT', path: '/rooms/:id/bans/:id', body: {} as never },
  { method: 'DELETE', path: '/rooms/:id/members/:id' },
  {
    method: 'POST',
    path: '/rooms/:id/invites',
    body: { expiresInSeconds: 60, maxUses: 1 } as never,
  },
  { method: 'POST', path: '/rooms/:id/owner', body: { userId: 'u' } as never },
  { method: 'POST', path: '/invites/:id', body: {} as never },
  { method: 'GET', path: '/invites/:id' },
  { method: 'GET', path: '/rooms/:id/pins' },
  // Blocking.
  { method: 'GET', path: '/me/blocks' },
  { method: 'PUT', path: '/me/blocks/:id', body: {} as never },
  { method: 'DELETE', path: '/me/blocks/:id' },
  { method: 'GET', path: '/nowhere' },
];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const QUERY_VALUES = [
  '',
  '0',
  '-1',
  '1.5',
  '1e9',
  'NaN',
  'abc',
  '99999999999999999999',
  '%ff',
  '%00',
  "'--",
  'Ω',
  'a'.repeat(5000),
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  '',
];

/** Percent-encodes, or for a lone surrogate (which has no UTF-8) sends its raw bytes' escapes. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

export interface FuzzContext {
  base: string;
  /** Tokens of fuzz users (the test replaces one that a fuzzed logout ended). */
  tokens: string[];
  /** Ids worth aiming at: real rooms, DMs of others, users. */
  roomIds: string[];
  userIds: string[];
}

export interface HttpFuzzRequest {
  route: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  token?: string;
}

export function fuzzRequest(r: Rng, ctx: FuzzContext): HttpFuzzRequest {
  const route = r.pick(ROUTES);
  const method = r.chance(0.8) ? route.method : r.pick(METHODS);
  const id = r.chance(0.6)
    ? r.pick(ctx.roomIds)
    : r.pick([
        'global',
        'nope',
        '',
        '..',
        '%2e%2e',
        '%00',
        'dm:a:b',
        `dm:${r.pick(ctx.userIds)}:zz`,
        "1' OR '1'='1",
        'Ω',
        'x'.repeat(3000),
      ]);
  let path = route.path.replace(':id', encode(id).replace(/%25/g, '%'));
  if (route.query || r.chance(0.1)) {
    const keys = route.query ?? ['limit', 'q'];
    const parts = keys
      .filter(() => r.chance(0.7))
      .map((k) => `${k}=${r.chance(0.8) ? r.pick(QUERY_VALUES) : encode(String(hostileValue(r)))}`);
    if (r.chance(0.1)) parts.push(`${r.pick(keys)}=1`, `${r.pick(keys)}=2`);
    if (parts.length) path += `?${parts.join('&')}`;
  }
  const headers: Record<string, string> = {};
  const token = r.chance(0.85) ? r.pick(ctx.tokens) : undefined;
  const auth = r.next();
  if (token && auth < 0.85) headers.authorization = `Bearer ${token}`;
  else if (token && auth < 0.9) headers.authorization = `Bearer ${token.slice(0, -3)}xyz`;
  else if (auth < 0.95)
    headers.authorization = r.pick([
      'Bearer ',
      'Basic YTpi',
      'Bearer a.b.c',
      'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    ]);
  const origin = r.next();
  if (origin < 0.7) headers.origin = ctx.base;
  else if (origin < 0.85)
    headers.origin = r.pick(['https://evil.example', 'null', 'http://127.0.0.1']);
  if (r.chance(0.05)) headers.cookie = `__Host-parlor_session=${r.hex(40)}`;
  let body: string | undefined;
  if (!['GET', 'HEAD'].includes(method) && (route.body || r.chance(0.2))) {
    const valid = route.body ?? ({} as Record<string, never>);
    const roll = r.next();
    if (roll < 0.45) body = JSON.stringify(mutateObject(r, valid));
    else if (roll < 0.65) body = mutateText(r, JSON.stringify(valid));
    else if (roll < 0.75) body = JSON.stringify(hostileValue(r));
    else if (roll < 0.8) body = JSON.stringify({ ...valid, pad: 'x'.repeat(LIMITS.bodyBytes) });
    else body = JSON.stringify(valid);
    const ct = r.chance(0.8) ? 'application/json' : r.pick(CONTENT_TYPES);
    if (ct) headers['content-type'] = ct;
  }
  return {
    route: `${route.method} ${route.path}`,
    method,
    url: `${ctx.base}/api${path}`,
    headers,
    body,
    token,
  };
}

export interface HttpAnswer {
  status: number;
  problem?: string;
  code?: string;
}

/** Sends one request and checks the answer's status, shape and headers. */
export async function sendAndCheck(req: HttpFuzzRequest): Promise<HttpAnswer> {
  const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  const text = await res.text();
  const status = res.status;
  const where = `${req.method} ${req.url.slice(0, 120)}`;
  const problem = (p: string): HttpAnswer => ({ status, problem: `${where} → ${status}: ${p}` });
  if (res.headers.get('x-content-type-options') !== 'nosniff') return problem('no nosniff');
  if (!res.headers.get('cache-control')?.includes('no-store')) return problem('no no-store');
  if (status < 400 || req.method === 'HEAD') return { status };
  let code: unknown;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    code = body.error?.code;
    if (typeof body.error?.message !== 'string')
      return problem(`no message: ${text.slice(0, 200)}`);
  } catch {
    return problem(`not JSON: ${text.slice(0, 200)}`);
  }
  if (!(ERROR_CODES as readonly unknown[]).includes(code)) return problem(`code ${String(code)}`);
  if (status >= 500 && !(status === 503 && code === 'server_busy'))
    return problem(text.slice(0, 300));
  return { status, code: code as string };
}
