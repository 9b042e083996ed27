/**
 * `npm start`'s widget demo (scripts/demo-host.mjs): on first run it makes a room whose
 * embedding list is the demo site's two origins, later runs reuse it, and its pages embed that
 * room with the documented snippet in both modes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrigins, demoPage, ensureDemoRoom } from '../../scripts/demo-host.mjs';
import { ApiClient } from './client';
import { DevServer } from './server';

const server = new DevServer();
const dir = mkdtempSync(join(tmpdir(), 'parlor-demo-'));
beforeAll(() => server.start());
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the widget demo', () => {
  it('sets up its room and embedding list on first run and reuses them after', async () => {
    const stateFile = join(dir, 'widget-demo.json');
    const origins = demoOrigins(8788);
    const first = await ensureDemoRoom(server.url, origins, stateFile);
    const second = await ensureDemoRoom(server.url, origins, stateFile);
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    const api = new ApiClient(server.url);
    const listed = await api.call(`/rooms/${first.roomId}/embed-origins`, {
      token: first.ownerToken,
    });
    expect(listed.body).toEqual({
      origins: ['http://127.0.0.1:8788', 'http://localhost:8788'],
      private: false,
    });
    const framed = await fetch(`${server.url}/embed/${first.roomId}`, {
      headers: { referer: 'http://localhost:8788/' },
    });
    expect(framed.status).toBe(200);
    expect(framed.headers.get('content-security-policy')).toContain(
      'frame-ancestors http://127.0.0.1:8788 http://localhost:8788',
    );
  });

  it('serves pages with the documented snippet, in launcher and inline mode', () => {
    const launcher = demoPage('http://localhost:8787', 'room-1', 'launcher');
    const inline = demoPage('http://localhost:8787', 'room-1', 'inline');
    expect(launcher).toContain(
      'window.Parlor = window.Parlor || function () { (Parlor.q = Parlor.q || []).push(arguments); };',
    );
    expect(launcher).toMatch(
      /<script src="http:\/\/localhost:8787\/widget\.js" data-room="room-1" [^>]*async><\/script>/,
    );
    expect(launcher).not.toContain('data-mode="inline"');
    expect(inline).toContain('data-mode="inline" data-target="#chat"');
    expect(demoPage('http://x', '"><script>', 'launcher')).not.toContain('"><script>');
  });
});
