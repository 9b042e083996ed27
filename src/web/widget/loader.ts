/**
 * `widget.js`: what a site adds to embed a Parlor room (docs/widget.md).
 *
 *   <script src="https://parlor.example/widget.js" data-room="ROOM" async></script>
 *
 * A round launcher button (or, with data-mode="inline", the chat at once in data-target)
 * whose panel holds an iframe of `/embed/<room>` on Parlor's origin, made on first open. The
 * loader keeps the visitor's token in the host page's own localStorage (the frame's storage
 * is third-party and browsers block it) and hands it to the frame by postMessage; with the
 * panel closed it counts unread messages on its own socket. No framework and no imports, so
 * it stays one small classic script (the build fails past 5 KB gzip).
 *
 * Messages both ways are namespaced, sent to an explicit origin, and accepted only from the
 * exact window and origin expected (the frame's window and Parlor's origin here).
 */
type Fn = (detail?: unknown) => void;
type Frame = Record<string, unknown>;

// The same string as WIDGET_NS in src/shared/embed.ts (not imported: see above).
const NS = 'parlor:widget:v1';
const EVENTS = ['ready', 'open', 'close', 'message', 'unread'];

// The host element is the page's, in the page's tree: every property is reset on it (`all`
// leaves out direction, and custom properties such as the accent), important, so neither the
// page's rules nor what it passes down by inheritance (letter-spacing, text-transform, a
// right-to-left direction) reach the launcher or the panel's bar. Floating, it is a manual
// popover (below): the top layer, above the page's own overlays, and placed against the
// window even when the page transforms or filters <body>.
const STYLE = `
:host{all:initial!important;display:block!important;direction:ltr!important}
:host([popover]){position:fixed!important;inset:0 auto auto 0!important;width:0!important;height:0!important;margin:0!important;padding:0!important;border:0!important;overflow:visible!important;background:none!important}
.l{position:fixed;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;margin:0;padding:0;background:var(--a);color:var(--o);cursor:pointer;box-shadow:0 4px 14px #0004;z-index:2147483000;display:grid;place-items:center}
.l:focus-visible,.x:focus-visible{outline:3px solid #1c6fd6;outline-offset:3px}
.l svg{width:28px;height:28px;fill:currentColor}
.b{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#b42323;color:#fff;font:700 12px/22px system-ui,sans-serif;box-sizing:border-box;text-align:center}
.b[hidden],.p[hidden]{display:none}
.p{position:fixed;bottom:88px;width:min(380px,calc(100vw - 40px));height:min(560px,calc(100vh - 112px));display:flex;flex-direction:column;border-radius:12px;overflow:hidden;background:#fff;box-shadow:0 8px 30px #0005;z-index:2147483000}
.h{display:flex;align-items:center;gap:8px;padding:6px 6px 6px 14px;background:var(--a);color:var(--o);font:600 15px/1.3 system-ui,sans-serif}
.h span{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.x{width:36px;height:36px;border:0;border-radius:8px;background:transparent;color:inherit;font:22px/1 system-ui,sans-serif;cursor:pointer}
iframe{flex:1;width:100%;border:0;color-scheme:normal}`;

{
  const script = document.currentScript;
  // The page's globals: the queued `Parlor` stub and the settings, whatever the page put there.
  const w = window as unknown as Host;
  if (script instanceof HTMLScriptElement && script.src && !w.Parlor?.loaded) {
    // A script in <head> runs before <body> exists.
    if (document.body) start(script, w);
    else addEventListener('DOMContentLoaded', () => start(script, w));
  }
}

interface Host {
  Parlor?: ((...args: unknown[]) => void) & { q?: unknown; loaded?: boolean };
  ParlorSettings?: unknown;
}

function start(script: HTMLScriptElement, w: Host) {
  const parlor = new URL(script.src).origin;
  const given = (
    w.ParlorSettings && typeof w.ParlorSettings === 'object' ? w.ParlorSettings : {}
  ) as Frame;
  const option = (name: string) => {
    const value = given[name];
    return ['string', 'boolean', 'number'].includes(typeof value)
      ? String(value)
      : script.dataset[name];
  };
  const room = option('room') || 'global';
  const inline = option('mode') === 'inline';
  const greeting = option('greeting');
  let title = option('title');
  const key = `parlor:${parlor}:${room}:`;
  const load = (name: string) => {
    try {
      return localStorage.getItem(key + name);
    } catch {
      return null;
    }
  };
  const save = (name: string, value: string | null) => {
    try {
      if (value === null) localStorage.removeItem(key + name);
      else localStorage.setItem(key + name, value);
    } catch {
      // Storage blocked on the host page too: the visitor lasts as long as the page.
    }
  };

  const handlers: Record<string, Fn[]> = {};
  let ready = false;
  const emit = (name: string, detail?: unknown) => {
    for (const fn of handlers[name] ?? []) {
      try {
        fn(detail);
      } catch (err) {
        setTimeout(() => {
          throw err;
        });
      }
    }
  };

  // The theme: as asked, or the host page's own preference ('auto', the default).
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const theme = () => {
    const t = option('theme');
    return t === 'light' || t === 'dark' ? t : dark.matches ? 'dark' : 'light';
  };
  dark.addEventListener('change', () => post({ type: 'theme', theme: theme() }));

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Frame = {}) =>
    Object.assign(document.createElement(tag), props);
  const host = el('div');
  host.dataset.parlorWidget = room;
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
  root.adoptedStyleSheets = [sheet];
  host.style.cssText = `--a:${option('accent') || '#3451c7'}`;

  let frame: HTMLIFrameElement | null = null;
  let isOpen = false;
  /** The site may not embed the room (or Parlor was unreachable): the loader stands down. */
  let refused = false;
  const panel = el('div', { className: 'p', hidden: true });
  const launcher = el('button', { className: 'l', type: 'button' });
  const badge = el('span', { className: 'b', hidden: true });
  const close = el('button', { className: 'x', type: 'button', textContent: '×' });

  function makeFrame(into: HTMLElement) {
    frame = el('iframe', {
      src: `${parlor}/embed/${encodeURIComponent(room)}`,
      title: title || 'Chat',
    });
    // The server decides refusal from the Referer; 'origin' sends it even under a host
    // page's no-referrer policy, and never more than the origin.
    frame.referrerPolicy = 'origin';
    into.append(frame);
  }

  function post(message: Frame) {
    frame?.contentWindow?.postMessage({ ...message, ns: NS }, parlor);
  }
  const init = () =>
    post({
      type: 'init',
      token: load('token'),
      theme: theme(),
      title: title || 'Chat',
      greeting,
      // The panel's bar shows the title; inline, the frame's own header is the only one.
      titleShown: !inline,
    });

  // Unread: messages by others after the last one the visitor had on screen (`seen`).
  let unread = 0;
  let seen = Number(load('seen')) || 0;
  let socket: WebSocket | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let backoff = 2000;
  const setUnread = (n: number) => {
    unread = n;
    badge.hidden = !n;
    badge.textContent = n > 99 ? '99+' : String(n);
    launcher.setAttribute('aria-label', n ? `Open chat, ${n} unread` : 'Open chat');
    emit('unread', n);
  };
  /** The newest seq the loader knows of, from its socket or the frame. */
  let latest = seen;
  const markSeen = (seq: number) => {
    if (seq > seen) save('seen', String((seen = seq)));
  };
  function watch() {
    const token = load('token');
    if (!token || isOpen || socket || inline || refused) return;
    let me = '';
    try {
      me = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).sub;
    } catch {
      return;
    }
    let chars = 0;
    const ws = new WebSocket(
      `${parlor.replace(/^http/, 'ws')}/api/rooms/${encodeURIComponent(room)}/ws${seen ? `?after=${seen}` : ''}`,
      ['parlor.v1', `token.${token}`],
    );
    socket = ws;
    const count = (f: Frame) => {
      if (f.type === 'hello' && !seen) markSeen((latest = Math.max(latest, Number(f.seq) || 0)));
      const m = f.message as { author?: { id?: string } } | undefined;
      // A replay after a reconnect repeats what was counted: only newer seqs count.
      if (f.type !== 'message' || typeof f.seq !== 'number' || f.seq <= latest) return;
      latest = f.seq;
      if (m?.author?.id !== me) setUnread(unread + 1);
      emit('message', { seq: f.seq, author: (m?.author as Frame)?.name, text: (m as Frame)?.text });
    };
    ws.onopen = () => (backoff = 2000);
    ws.onmessage = (e) => {
      const text = String(e.data);
      // Flow control (docs/protocol.md): a reader that never reports is cut off at 4 Mi.
      if ((chars += text.length) >= 65536) {
        ws.send(JSON.stringify({ type: 'received', chars }));
        chars = 0;
      }
      try {
        const f = JSON.parse(text) as Frame;
        for (const one of f.type === 'batch' && Array.isArray(f.frames) ? f.frames : [f])
          count(one);
      } catch {
        // Not a frame: nothing to count.
      }
    };
    ws.onclose = (e) => {
      if (socket !== ws) return;
      socket = null;
      // 1008: the session ended (logout elsewhere, expired, site taken off the list).
      if (e.code === 1008) forget();
      else if (e.code !== 1000 && e.code !== 4029) {
        retry = setTimeout(watch, (backoff = Math.min(backoff * 2, 60000)));
      }
    };
  }
  function unwatch() {
    clearTimeout(retry);
    const ws = socket;
    socket = null;
    ws?.close(1000);
  }
  function forget() {
    save('token', null);
    unwatch();
    setUnread(0);
  }

  addEventListener('message', (e) => {
    // Exactly our frame's window, from Parlor's origin, in our namespace.
    if (!frame || e.source !== frame.contentWindow || e.origin !== parlor) return;
    const m = e.data as Frame;
    if (!m || typeof m !== 'object' || m.ns !== NS) return;
    if (m.type === 'ready') init();
    else if (m.type === 'session') {
      // A new token (a visitor who switched to their account): a socket of the old one,
      // whose end (1008) would forget the new token, gives way to one of the new.
      if (typeof m.token === 'string') {
        unwatch();
        save('token', m.token);
        watch();
      } else if (m.token === null) forget();
    } else if (m.type === 'escape' && !inline) hide();
    // While the panel is closed the loader's own socket reports messages (once each).
    else if (m.type === 'message' && typeof m.seq === 'number' && (isOpen || inline)) {
      markSeen((latest = Math.max(latest, m.seq)));
      emit('message', { seq: m.seq, author: m.author, text: m.text });
    }
  });

  function show() {
    if (isOpen || inline || refused) return;
    isOpen = true;
    if (!frame) makeFrame(panel);
    unwatch();
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    // What was counted is on screen now.
    markSeen(latest);
    setUnread(0);
    frame!.focus();
    emit('open');
  }
  function hide() {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
    emit('close');
    watch();
  }

  /** Shows the room's name where this mode names the chat (set below). */
  let named: (name: string) => void;
  if (inline) {
    const target = option('target') ? document.querySelector(option('target')!) : null;
    const region = el('div', { role: 'region' });
    named = (text) => region.setAttribute('aria-label', text);
    named(title || 'Chat');
    region.style.cssText = `display:flex;width:${option('width') || '100%'};height:${option('height') || '480px'};max-width:100%;border:1px solid #8885;border-radius:12px;overflow:hidden`;
    root.append(region);
    makeFrame(region);
    if (target) target.append(host);
    else script.after(host);
  } else {
    const side = option('position') === 'bottom-left' ? 'left' : 'right';
    launcher.style[side] = panel.style[side] = '20px';
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    path.setAttribute(
      'd',
      'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z',
    );
    svg.append(path);
    badge.setAttribute('aria-hidden', 'true');
    launcher.append(svg, badge);
    launcher.setAttribute('aria-controls', 'parlor-panel');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.onclick = () => (isOpen ? hide() : show());
    panel.id = 'parlor-panel';
    panel.setAttribute('role', 'dialog');
    const bar = el('div', { className: 'h' });
    const name = el('span');
    close.setAttribute('aria-label', 'Close chat');
    close.onclick = hide;
    bar.append(name, close);
    panel.append(bar);
    named = (text) => {
      name.textContent = text;
      panel.setAttribute('aria-label', text);
    };
    named(title || 'Chat');
    panel.addEventListener('keydown', (e) => e.key === 'Escape' && hide());
    root.append(launcher, panel);
    host.setAttribute('popover', 'manual');
    document.body.append(host);
    try {
      host.showPopover();
    } catch {
      // No popover support (or the page took the host out again): fixed to the window as is.
    }
    setUnread(0);
    // White or #111 on the accent, whichever contrasts more (WCAG 2 relative luminance;
    // #111's is 0.0056): the site picks the accent, the loader keeps its label readable.
    const linear = (c: number) =>
      (c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    const [r = 0, g = 0, b = 0] = (
      getComputedStyle(launcher).backgroundColor.match(/[\d.]+/g) ?? []
    )
      .map(Number)
      .map(linear);
    const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    host.style.setProperty('--o', (lum + 0.05) / 0.0556 > 1.05 / (lum + 0.05) ? '#111' : '#fff');
    watch();
  }

  // Whether this site may embed the room (refused, its browser hides the answer: CORS), and
  // the room's name for the panel or region and the frame unless the site gave its own title.
  // Refused, the launcher goes and the console says why: a button that opens only a refusal
  // helps no visitor. (Inline, the frame itself says it cannot be shown here.)
  fetch(`${parlor}/api/embed/${encodeURIComponent(room)}`)
    .then((r) => r.json())
    .then(
      (body: { room?: { name?: unknown } }) => {
        if (typeof body?.room?.name !== 'string' || title) return;
        named((title = body.room.name));
        if (frame) frame.title = title;
        // For a frame that had `init` before the name came (one still loading drops this,
        // and its `init`, on `ready`, carries the name).
        post({ type: 'title', title });
      },
      () => {
        console.warn(
          `Parlor: room ${room} is not shown: ${location.origin} is not on its list of sites that may embed it (the room's Embed settings), or Parlor at ${parlor} could not be reached`,
        );
        if (inline) return;
        refused = true;
        unwatch();
        host.remove();
      },
    );

  const commands: Record<string, (...args: unknown[]) => void> = {
    open: show,
    close: hide,
    toggle: () => (isOpen ? hide() : show()),
    logout() {
      const token = load('token');
      forget();
      post({ type: 'logout' });
      // Revoked on the server too, so a copy of the token is worth nothing afterwards.
      if (token) {
        fetch(`${parlor}/api/embed/${encodeURIComponent(room)}/logout`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        }).catch(() => undefined);
      }
    },
    /** A site's own user, from a token its server signed (docs/widget.md): chat as them. */
    identify(jwt) {
      if (typeof jwt !== 'string') return;
      // The visitor's token goes along: the server ends that anonymous visitor.
      const old = load('token');
      fetch(`${parlor}/api/embed/${encodeURIComponent(room)}/identify`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(old && { authorization: `Bearer ${old}` }),
        },
        body: JSON.stringify({ token: jwt }),
      })
        .then((r) => r.json())
        .then((body: { user?: { token?: unknown }; error?: { message?: string } }) => {
          const token = body.user?.token;
          if (typeof token !== 'string') throw new Error(body.error?.message ?? 'refused');
          unwatch();
          save('token', token);
          init();
          watch();
        })
        .catch((err: Error) => console.warn(`Parlor: identify: ${err.message}`));
    },
    on(event, fn) {
      if (typeof fn !== 'function' || !EVENTS.includes(event as string)) return;
      (handlers[event as string] ??= []).push(fn as Fn);
      if (event === 'ready' && ready) (fn as Fn)();
    },
  };
  const api = Object.assign(
    (command: unknown, ...args: unknown[]) => {
      const run = commands[command as string];
      if (run) run(...args);
      else console.warn(`Parlor: unknown command ${String(command)}`);
    },
    { loaded: true },
  );
  const queued: unknown[] = Array.isArray(w.Parlor?.q) ? w.Parlor.q : [];
  w.Parlor = api;
  for (const args of queued) {
    // Each entry is the stub's `arguments`: array-like.
    if (args && typeof args === 'object') {
      const [command, ...rest] = Array.from(args as ArrayLike<unknown>);
      api(command, ...rest);
    }
  }
  ready = true;
  emit('ready');
  if (option('open') === 'true') show();
}
