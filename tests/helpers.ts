/** Helpers for integration tests that drive the real Worker in workerd. */
import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';

export const ORIGIN = 'https://parlor.test';

export function api(path: string, init: RequestInit & { json?: unknown; token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    headers.set('origin', ORIGIN);
  }
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  return exports.default.fetch(`${ORIGIN}/api${path}`, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
}

/** Asserts the one error shape and returns it. */
export async function expectError(res: Response, status: number, code: string) {
  const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  expect(typeof body.error.message).toBe('string');
  return body.error;
}

let counter = 0;
/** A fresh username for each call, so tests never share users. */
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${counter}_${crypto.randomUUID().slice(0, 6)}`;
}

export const GOOD_PASSWORD = 'correct-Horse-battery-9';

export async function register(username = uniqueName(), password = GOOD_PASSWORD) {
  const res = await api('/auth/register?token=1', { method: 'POST', json: { username, password } });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { user: { id: string; token: string; username: string } };
  return { ...body.user, password, cookie: res.headers.get('set-cookie')! };
}

export async function guest(name = uniqueName('guest')) {
  const res = await api('/auth/guest?token=1', { method: 'POST', json: { name } });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { user: { id: string; token: string } };
  return { ...body.user, name, cookies: res.headers.getSetCookie() };
}
