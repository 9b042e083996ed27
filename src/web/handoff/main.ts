/**
 * `/widget-account?room=&origin=` (`widget-account.html`, served by the assets binding under
 * the app's headers, so never framed): the popup behind the widget's "Chat as your Parlor
 * account". It is a top-level page on Parlor's origin, so the session cookie (SameSite=Lax)
 * is sent here, as it never is to the cross-site frame. It asks "Chat as @name in #room on
 * https://site?"; Allow makes a session for that room and that site only
 * (src/worker/embed/account.ts) and posts it to the window that opened this one — only when
 * that window is Parlor's own (the widget's frame; reading a cross-origin opener's location
 * throws) and only to Parlor's origin, so no other page can receive it. Signed out, it
 * offers sign-in first, then asks.
 *
 * No framework and no imports but its own styles, like the loader: an entry of its own that shares
 * no code with the app or the panel, so neither's size budget carries it.
 */
import './handoff.css';

// The same string as WIDGET_NS in src/shared/embed.ts (not imported: see above).
const NS = 'parlor:widget:v1';

const params = new URLSearchParams(location.search);
const roomId = params.get('room') ?? '';
const asked = params.get('origin') ?? '';
const main = document.getElementById('app')!;
const sessionPath = `/api/rooms/${encodeURIComponent(roomId)}/widget-session`;

type Props = Record<string, unknown>;
const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...kids: (Node | string)[]
) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...kids);
  return node;
};
const show = (...nodes: Node[]) => main.replaceChildren(...nodes);

class CallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A same-origin JSON call with the cookie; the one error shape becomes its message. */
async function call(method: string, path: string, body?: unknown): Promise<Props> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new CallError(0, 'Cannot reach Parlor. Check your connection and try again.');
  }
  const json = (await res.json().catch(() => null)) as Props | null;
  if (!res.ok || !json) {
    const error = json?.error as { message?: unknown } | undefined;
    throw new CallError(
      res.status,
      typeof error?.message === 'string' ? error.message : 'Something went wrong. Try again.',
    );
  }
  return json;
}

/** The opener, when it is a page of Parlor's own origin (the widget's frame). */
function parlorOpener(): Window | null {
  const opener = window.opener as Window | null;
  if (!opener) return null;
  try {
    return opener.location.origin === location.origin ? opener : null;
  } catch {
    return null;
  }
}

function problem(text: string) {
  show(el('p', { className: 'form-error', role: 'alert', textContent: text }));
  main.firstElementChild!.setAttribute('data-testid', 'handoff-problem');
}

async function start() {
  if (!parlorOpener()) return problem('Open this from the chat on the site that embeds it.');
  let name: unknown;
  try {
    name = ((await call('GET', '/api/me')).user as Props | undefined)?.name;
  } catch (err) {
    if (err instanceof CallError && err.status === 401) return signIn();
    return problem((err as Error).message);
  }
  try {
    const preview = await call('GET', `${sessionPath}?origin=${encodeURIComponent(asked)}`);
    const room = preview.room as Props | undefined;
    const site = preview.origin;
    if (typeof name !== 'string' || typeof room?.name !== 'string' || typeof site !== 'string') {
      throw new Error('Unexpected answer');
    }
    // The site as the server checked it against the room's list, exactly.
    ask(name, room.name, site, preview.joins === true);
  } catch (err) {
    problem((err as Error).message);
  }
}

function signIn() {
  const field = (id: string, label: string, type: string, autocomplete: string) =>
    el(
      'div',
      { className: 'field' },
      el('label', { htmlFor: id, textContent: label }),
      el('input', { id, name: id, type, autocomplete, required: true }),
    );
  const error = el('p', { className: 'form-error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit', className: 'primary', textContent: 'Sign in' });
  const form = el(
    'form',
    { className: 'stack' },
    el('h1', { id: 'handoff-title', textContent: 'Sign in to Parlor to chat as yourself' }),
    field('username', 'Username', 'text', 'username'),
    field('password', 'Password', 'password', 'current-password'),
    error,
    submit,
    el(
      'p',
      { className: 'hint' },
      'New to Parlor? ',
      el('a', { href: '/', target: '_blank', textContent: 'Create an account' }),
      ', then come back here.',
    ),
  );
  form.onsubmit = async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    submit.disabled = true;
    try {
      await call('POST', '/api/auth/login', {
        username: String(data.get('username')),
        password: String(data.get('password')),
      });
      await start();
    } catch (err) {
      error.textContent = (err as Error).message;
      error.hidden = false;
      submit.disabled = false;
    }
  };
  show(form);
  form.querySelector('input')!.focus();
}

function ask(name: string, roomName: string, site: string, joins: boolean) {
  const allow = el('button', { type: 'button', className: 'primary', textContent: 'Allow' });
  const cancel = el('button', { type: 'button', textContent: 'Cancel' });
  allow.dataset.testid = 'handoff-allow';
  cancel.dataset.testid = 'handoff-cancel';
  const title = el('h1', {
    id: 'handoff-title',
    textContent: `Chat as @${name} in #${roomName} on ${site}?`,
  });
  title.dataset.testid = 'handoff-question';
  const hint = el('p', {
    className: 'hint',
    textContent:
      `${site} will be able to read and post in #${roomName} as you` +
      (joins ? ' (you join the room now)' : '') +
      ', and nowhere else, until you sign out there or end it in Parlor’s settings, under ' +
      '“Where you are signed in” (30 days at most).' +
      // Asked from a visitor's chat (src/web/widget/switch.ts).
      (params.get('visitor')
        ? ' The visitor you chatted as ends: what they wrote stays, shown as “Former visitor”.'
        : ''),
  });
  allow.onclick = async () => {
    const opener = parlorOpener();
    if (!opener) return problem('The chat that asked has closed. Open this from it again.');
    allow.disabled = true;
    try {
      if (joins) await call('POST', `/api/rooms/${encodeURIComponent(roomId)}/join`, {});
      const { token } = await call('POST', sessionPath, { origin: site });
      if (typeof token !== 'string') throw new Error('Unexpected answer');
      opener.postMessage({ ns: NS, type: 'account', token, origin: site }, location.origin);
      show(el('p', { role: 'status', textContent: 'Done. You can close this window.' }));
      window.close();
    } catch (err) {
      problem((err as Error).message);
    }
  };
  cancel.onclick = () => window.close();
  show(title, hint, el('div', { className: 'inline-actions' }, allow, cancel));
  // Cancel, not Allow, has the keyboard: a stray Enter must not hand the account to a site.
  cancel.focus();
}

void start();
