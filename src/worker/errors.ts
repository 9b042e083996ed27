/**
 * The one error path for HTTP: handlers throw `ApiError`; `onError` turns it (and anything
 * unexpected) into `{ error: { code, message, field? } }` with the right status.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode } from '../shared/errors';

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(status, { message });
  }
}

export function errorResponse(
  status: ContentfulStatusCode,
  code: ErrorCode,
  message: string,
  extra: { field?: string; retryAfterSeconds?: number } = {},
): Response {
  const body: ErrorBody = { error: { code, message, ...(extra.field && { field: extra.field }) } };
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (extra.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(extra.retryAfterSeconds);
  return new Response(JSON.stringify(body), { status, headers });
}

export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    return errorResponse(err.status, err.code, err.message, {
      field: err.field,
      retryAfterSeconds: err.retryAfterSeconds,
    });
  }
  if (err instanceof HTTPException) {
    const code: ErrorCode =
      err.status === 413
        ? 'payload_too_large'
        : err.status === 401
          ? 'unauthorized'
          : 'bad_request';
    return errorResponse(err.status, code, err.message || 'Bad request');
  }
  // Never a stack trace to the client; the log keeps it.
  console.error(`${c.req.method} ${c.req.path}`, err);
  return errorResponse(500, 'internal', 'Something went wrong on our side');
}

export const notFound = (c: Context) =>
  errorResponse(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);
