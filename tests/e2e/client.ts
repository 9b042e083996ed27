/** A Node-side Parlor client for end-to-end tests: HTTP with a token, `ws` sockets. */
import WebSocket from 'ws';
import { FrameQueue } from '../socket-client';
import { afterAll, beforeAll } from 'vitest';
import { DevServer } from './server';

export interface E2eUser {
  id: string;
  name: string;
  token: string;
  /** The colour the server gave them (from a palette: two people may share one). */
  color?: string;
}

export class ApiClient {
  constructor(readonly base: string) {}

  async call(path: string, init: { method?: string; json?: unknown; token?: string } = {}) {
    const headers: Record<string, string> = { origin: this.base };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const res = await fetch(`${this.base}/api${path}`, {
      method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async guest(name = `g${Math.random().toString(36).slice(2, 10)}`): Promise<E2eUser> {
    const { status, body } = await this.call('/auth/guest?token=1', { json: { name } });
    if (status !== 201) throw new Error(`guest sign-up failed: ${status} ${JSON.stringify(body)}`);
    const user = body.user as { id: string; token: string; color: string };
    return { id: user.id, token: user.token, name, color: user.color };
  }

  /** Opens a socket; resolves after `hello`. */
  async open(path: string, token: string, opts: { origin?: string } = {}) {
    const ws = new WebSocket(`${this.base.replace('http', 'ws')}/api${path}`, {
      headers: { authorization: `Bearer ${token}`, origin: opts.origin ?? this.base },
    });
    const q = new FrameQueue();
    ws.on('message', (data) => q.push(String(data)));
    ws.on('close', (code, reason) => q.close(code, String(reason)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
      ws.once('error', reject);
    });
    await q.take((f) => f.type === 'hello', 10_000, 'hello');
    return {
      ws,
      q,
      send: (frame: object) => ws.send(JSON.stringify(frame)),
      close: () => ws.close(),
    };
  }
}

export { eventually } from '../socket-client';

/**
 * One `wrangler dev` for a test file with an `ApiClient` on it: started before the file's
 * tests, stopped after them.
 */
export function serverSuite(vars: Record<string, string> = {}) {
  const server = new DevServer(vars);
  const suite = { server, api: null as unknown as ApiClient };
  beforeAll(async () => {
    await server.start();
    suite.api = new ApiClient(server.url);
  });
  afterAll(() => server.stop());
  return suite;
}
