/**
 * The one way the client talks HTTP to `/api/*`: JSON in, JSON out, every response parsed
 * with its schema and every failure turned into an `ApiError` carrying the server's code.
 */
import * as z from 'zod/mini';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors';

const errorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    field: z.optional(z.string()),
  }),
});

export type ClientErrorCode = ErrorCode | 'network' | 'bad_response';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly field?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface HttpOptions {
  /** The session token for clients that cannot use the cookie (the widget). */
  token?: () => string | null;
  /** Called when a request that needed a session was refused: the session has ended. */
  onSessionLost?: () => void;
}

export interface Http {
  get<S extends z.ZodMiniType>(path: string, schema: S): Promise<z.output<S>>;
  send<S extends z.ZodMiniType>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    schema: S,
  ): Promise<z.output<S>>;
}

export function createHttp(options: HttpOptions = {}): Http {
  async function request<S extends z.ZodMiniType>(
    method: string,
    path: string,
    body: unknown,
    schema: S,
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    // The server refuses state-changing requests that are not JSON (its CSRF guard).
    if (method !== 'GET') headers['content-type'] = 'application/json';
    const token = options.token?.();
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
      });
    } catch {
      throw new ApiError(0, 'network', 'Cannot reach Parlor. Check your connection.');
    }
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) throw failure(res, json, options);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ApiError(res.status, 'bad_response', 'The server sent an unexpected answer.');
    }
    return parsed.data;
  }

  return {
    get: (path, schema) => request('GET', path, undefined, schema),
    send: (method, path, body, schema) => request(method, path, body, schema),
  };
}

function failure(res: Response, json: unknown, options: HttpOptions): ApiError {
  const parsed = errorBody.safeParse(json);
  if (!parsed.success) {
    return new ApiError(res.status, 'internal', `The server answered ${res.status}.`);
  }
  const { code, message, field } = parsed.data.error;
  if (code === 'session_expired') options.onSessionLost?.();
  const retryAfter = Number(res.headers.get('retry-after'));
  const retryAfterMs =
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
  return new ApiError(res.status, code, message, field, retryAfterMs);
}
