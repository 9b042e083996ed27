/**
 * The headers pages and files are served with under `wrangler dev` (Workers static assets
 * with `src/web/public/_headers`, the widget's page through the Worker), the favicon, and in
 * Chromium: the app runs under its CSP without a violation and cannot be framed, while the
 * widget's page stays frameable by any site, as before (issue 8, item 16; who may embed the
 * widget: issue 10, each room's list of embedding origins; the global room's is
 * GLOBAL_EMBED_ORIGINS).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { browserSuite } from './suite';
import { conversationReady, roomWith, send, until, watchCsp } from './ui';

/**
 * Two pages on other origins (other ports of 127.0.0.1, so Chromium's local-network rules do
 * not interfere) that frame the app and the global room's widget; only HOST may embed the
 * global room (GLOBAL_EMBED_ORIGINS).
 */
const framingPages = await Promise.all([0, 1].map(() => framingPage()));
const [HOST, STRANGER] = framingPages.map((p) => p.origin) as [string, string];
const suite = browserSuite({ GLOBAL_EMBED_ORIGINS: HOST });
const { browsers } = suite;
afterAll(() => Promise.all(framingPages.map((p) => p.close())));

async function framingPage() {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<iframe name="app" src="${suite.server.url}/"></iframe>` +
        `<iframe name="widget" src="${suite.server.url}/embed/global"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
  "frame-ancestors 'none'";

function headersOf(res: Response) {
  return {
    csp: res.headers.get('content-security-policy'),
    frameOptions: res.headers.get('x-frame-options'),
    nosniff: res.headers.get('x-content-type-options'),
    referrer: res.headers.get('referrer-policy'),
  };
}

const APP_HEADERS = {
  csp: APP_CSP,
  frameOptions: 'DENY',
  nosniff: 'nosniff',
  referrer: 'strict-origin-when-cross-origin',
};

describe('static pages and files under wrangler dev', () => {
  it('serve the app, its deep links and its files with the CSP and no framing', async () => {
    const base = suite.server.url;
    const index = await fetch(`${base}/`);
    const html = await index.text();
    expect(headersOf(index)).toEqual(APP_HEADERS);
    // Nothing inline for the CSP to block: scripts are files.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/);
    // The widget's bare page is never framed: only `/embed/<room>` is, by the room's sites.
    for (const path of ['/c/some-room', '/theme.js', '/widget.js', '/widget', '/widget.html']) {
      const res = await fetch(`${base}${path}`);
      expect({ path, ...headersOf(res) }).toEqual({ path, ...APP_HEADERS });
    }
  });

  it('serves /favicon.ico as an icon, not the app', async () => {
    const res = await fetch(`${suite.server.url}/favicon.ico`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/vnd.microsoft.icon');
    // ICONDIR: reserved 0, type 1 (icon), at least one image.
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]);
    expect(bytes[4]).toBeGreaterThan(0);
  });

  it("serves the widget page /embed/<room> with the CSP, framed only by the room's sites", async () => {
    const res = await fetch(`${suite.server.url}/embed/global`);
    expect(headersOf(res)).toEqual({
      ...APP_HEADERS,
      // Images from `blob:` too: the panel shows the images it fetched with its token.
      csp: APP_CSP.replace("img-src 'self' data:;", "img-src 'self' data: blob:;").replace(
        "frame-ancestors 'none'",
        `frame-ancestors ${HOST}`,
      ),
      frameOptions: null,
    });
  });
});

describe('in Chromium', () => {
  it('runs the app, a conversation and the widget with no CSP violation', async () => {
    const [ada, bo] = await Promise.all([suite.api.guest(), suite.api.guest()]);
    const room = await roomWith(suite.api, ada, bo);
    const page = await browsers.open({ as: ada });
    const violations = watchCsp(page);
    await page.goto(`/c/${room.id}`);
    await conversationReady(page, room.id);
    await send(page, 'Under a strict CSP');
    const widget = await browsers.open();
    const widgetViolations = watchCsp(widget);
    await widget.goto('/embed/global');
    await widget.locator('#app *').first().waitFor();
    expect([...violations, ...widgetViolations]).toEqual([]);
    // The watcher does see a violation: an inline script is refused and reported.
    await page.evaluate(() => {
      const inline = document.createElement('script');
      inline.textContent = 'window.inlineRan = true';
      document.head.append(inline);
    });
    await until(() => violations.length).toBe(1);
    expect(await page.evaluate(() => 'inlineRan' in window)).toBe(false);
  });

  it('refuses to frame the app anywhere, and frames the widget only on its allowed site', async () => {
    const page = await browsers.open();
    /** Whether the frame's document is Parlor's (a refused frame shows Chromium's error page). */
    const loaded = async (name: string) => {
      const frame = page.frame({ name });
      await frame!.waitForLoadState();
      return frame!.evaluate(() => document.getElementById('app') !== null).catch(() => false);
    };
    /** The refusal Parlor shows inside the frame instead of the chat, if any. */
    const refusal = (name: string) =>
      page
        .frame({ name })!
        .evaluate(() => document.querySelector('[data-testid=embed-refused]')?.textContent ?? null)
        .catch(() => null);
    const seen = [];
    for (const host of [HOST, STRANGER]) {
      await page.goto(`${host}/`);
      seen.push({
        host,
        app: await loaded('app'),
        widget: await loaded('widget'),
        refusal: await refusal('widget'),
      });
    }
    expect(seen).toEqual([
      { host: HOST, app: false, widget: true, refusal: null },
      {
        host: STRANGER,
        app: false,
        widget: false,
        refusal: 'This chat cannot be shown on this site.',
      },
    ]);
  });
});
