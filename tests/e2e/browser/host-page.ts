/**
 * A host site on a second origin for the widget's browser tests: a tiny static server whose
 * pages embed a Parlor room with the documented snippet. Reached as `http://localhost:<port>`
 * (another site than Parlor's `http://127.0.0.1:<port>`, so the frame is third-party) and,
 * for "a site not on the list", as `http://127.0.0.1:<port>` (another origin, same pages).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostPage {
  /** The listed site: http://localhost:<port>. */
  origin: string;
  /** The same server under another origin, never listed: http://127.0.0.1:<port>. */
  strangerOrigin: string;
  /** A page embedding `room`; `options` become data-* attributes of the script tag. */
  url(room: string, options?: Record<string, string>, origin?: string): string;
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Every event the loader emits, recorded on `window.parlorEvents` from before it loads. */
const SNIPPET = `window.Parlor = window.Parlor || function () { (Parlor.q = Parlor.q || []).push(arguments); };
window.parlorEvents = [];
['ready', 'open', 'close', 'unread', 'message'].forEach(function (name) {
  Parlor('on', name, function (detail) { parlorEvents.push([name, detail === undefined ? null : detail]); });
});`;

export async function startHostPage(parlor: string): Promise<HostPage> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname === '/snippet.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(SNIPPET);
      return;
    }
    if (url.pathname === '/blank') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>blank</title><p>another frame</p>');
      return;
    }
    // `before`: the page's own script before the loader (settings, queued calls).
    const before = url.searchParams.get('before');
    url.searchParams.delete('before');
    const attrs = [...url.searchParams]
      .map(([k, v]) => ` data-${escape(k)}="${escape(v)}"`)
      .join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A shop</title></head>` +
        `<body><h1>A shop</h1><button id="before">Before</button><div id="chat-here"></div>` +
        `<script src="/snippet.js"></script>` +
        (before ? `<script>${before.replace(/</g, '\\u003c')}</script>` : '') +
        `<script src="${parlor}/widget.js"${attrs} async></script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://localhost:${port}`;
  return {
    origin,
    strangerOrigin: `http://127.0.0.1:${port}`,
    url: (room, options = {}, at = origin) =>
      `${at}/?${new URLSearchParams({ room, ...options }).toString()}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
