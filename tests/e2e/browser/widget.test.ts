/**
 * Issue 10's widget in real Chromium (default settings), on two origins: Parlor under
 * `wrangler dev` at http://127.0.0.1:<port>, and a host site at http://localhost:<port2>
 * (another site, so the frame is third-party) that embeds a room with the documented snippet.
 */
import { SignJWT } from 'jose';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { E2eUser } from '../client';
import {
  inFrame,
  launcher,
  sendAsNewVisitor,
  stored,
  unique,
  widgetFrame,
  widgetSuite,
} from './suite';
import { conversationReady, roomWith, send, sendOverSocket, until } from './ui';

const { suite, host, embeddedRoom } = widgetSuite();
const { browsers } = suite;

const NS = 'parlor:widget:v1';

const storedToken = (page: Page, roomId: string) =>
  page.evaluate(([parlor, room]) => localStorage.getItem(`parlor:${parlor}:${room}:token`), [
    suite.server.url,
    roomId,
  ] as const);

/**
 * The visitor's token once the loader has kept it: the frame hands it over by postMessage, a
 * task in another process, with no order against what the frame shows.
 */
async function keptToken(page: Page, roomId: string): Promise<string> {
  await until(() => storedToken(page, roomId)).toMatch(/^ey/);
  return (await storedToken(page, roomId))!;
}

const events = (page: Page, name: string) =>
  page.evaluate(
    (n) =>
      (window as unknown as { parlorEvents: [string, unknown][] }).parlorEvents
        .filter((e) => e[0] === n)
        .map((e) => e[1]),
    name,
  );

/** Whether the launcher has focus inside the loader's shadow root. */
const launcherFocused = (page: Page) =>
  launcher(page).evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el);

describe('the widget in launcher mode on another site', () => {
  it('lets a new visitor chat with a member, counts unread while closed, and keeps the visitor across a reload', async () => {
    const { owner, room } = await embeddedRoom();
    const page = await browsers.open({ path: '/favicon.ico' });
    await page.goto(host.url(room.id, { greeting: 'Ask us anything' }));
    await until(() => launcher(page).getAttribute('aria-label')).toBe('Open chat');
    // No frame until the visitor opens the panel.
    expect(page.frames().some((f) => f.url().includes('/embed/'))).toBe(false);
    await launcher(page).click();
    const frame = await widgetFrame(page);
    await inFrame(frame, 'widget-greeting').waitFor();
    expect(await inFrame(frame, 'widget-greeting').textContent()).toBe('Ask us anything');
    // The room's name comes from the loader's own fetch, on its own time.
    await until(() =>
      page.locator('[data-parlor-widget] [role=dialog]').getAttribute('aria-label'),
    ).toBe(room.name);
    const name = unique('Visitor ');
    await sendAsNewVisitor(frame, 'Hello from the shop', name);
    const token = await keptToken(page, room.id);

    // A member in the main app sees the visitor's message and replies.
    const member = await browsers.open({ as: owner, path: `/c/${room.id}` });
    await conversationReady(member, room.id);
    await until(() => stored(member)).toContain('Hello from the shop');
    await send(member, 'Welcome! How can we help?');
    await until(() => stored(frame)).toContain('Welcome! How can we help?');
    // A mention of someone the widget has not met reads as their name, not "@someone".
    const colleague = await suite.api.guest(unique('Colleague'));
    await sendOverSocket(suite.api, room.id, owner, [`ask <@${colleague.id}>`]);
    await until(() => stored(frame)).toContain(`ask @${colleague.name}`);
    // Each group's avatar has a column of its own: it covers neither the name nor the text.
    const covered = await frame.evaluate(() =>
      Array.from(document.querySelectorAll('.group')).map((g) => {
        const avatar = g.querySelector('.group-avatar')?.getBoundingClientRect();
        const beside = ['[data-testid="message-author"]', '[data-testid="message-text"]'].map((s) =>
          g.querySelector(s)?.getBoundingClientRect(),
        );
        return !avatar || beside.some((r) => !r || avatar.right > r.left);
      }),
    );
    expect(covered.length).toBeGreaterThan(1);
    expect(covered).not.toContain(true);
    // No profile card opens in the widget: names, avatars and mentions are text, not buttons
    // that say they open a dialog.
    expect(
      await frame
        .locator('[data-testid="message-author"]')
        .first()
        .evaluate((e) => e.tagName),
    ).toBe('SPAN');
    expect(await frame.locator('[aria-haspopup="dialog"]').count()).toBe(0);

    // Escape in the frame closes the panel and gives focus back to the launcher.
    await inFrame(frame, 'composer-input').focus();
    await inFrame(frame, 'composer-input').press('Escape');
    await until(() => page.locator('[data-parlor-widget] [role=dialog]').isHidden()).toBe(true);
    expect(await launcherFocused(page)).toBe(true);

    // Closed: the badge and the `unread` event count the member's new messages.
    await send(member, 'Are you still there?');
    await send(member, 'We are open until six.');
    await until(() => launcher(page).getAttribute('aria-label')).toBe('Open chat, 2 unread');
    expect(await page.locator('[data-parlor-widget] .b').textContent()).toBe('2');
    expect((await events(page, 'unread')).at(-1)).toBe(2);

    // A reload: the same visitor, no name asked; the badge still counts what was not seen.
    await page.reload();
    await until(() => launcher(page).getAttribute('aria-label')).toBe('Open chat, 2 unread');
    await launcher(page).click();
    const again = await widgetFrame(page);
    await until(() => stored(again)).toContain('We are open until six.');
    expect(await launcher(page).getAttribute('aria-label')).toBe('Open chat');
    await inFrame(again, 'composer-input').fill('Still me');
    await inFrame(again, 'composer-input').press('Enter');
    await until(() => stored(again)).toContain('Still me');
    expect(await inFrame(again, 'visitor-name').count()).toBe(0);
    expect(await storedToken(page, room.id)).toBe(token);
    await until(() => stored(member)).toContain('Still me');
    // Closed again: what was on screen is not counted again, only what comes after.
    await inFrame(again, 'composer-input').press('Escape');
    await send(member, 'One more thing');
    await until(() => launcher(page).getAttribute('aria-label')).toBe('Open chat, 1 unread');
    expect(
      (await events(page, 'message')).filter(
        (m) => (m as { text: string }).text === 'One more thing',
      ),
    ).toHaveLength(1);
    // Both messages are the same person's, under the same name, marked as not an account.
    await until(async () => {
      const authors = (await visitorMessages(owner, room.id)).map((m) => m.author);
      return (
        new Set(authors.map((a) => JSON.stringify([a.id, a.name, a.guest]))).size === 1 &&
        authors.length === 2 &&
        authors[0]!.name === name &&
        authors[0]!.guest
      );
    }).toBe(true);
  });

  it('ends the visitor on logout: token gone from the page and refused by the server', async () => {
    const { room } = await embeddedRoom();
    const page = await browsers.open({ path: '/favicon.ico' });
    await page.goto(host.url(room.id));
    await launcher(page).click();
    const frame = await widgetFrame(page);
    await sendAsNewVisitor(frame, 'Before logout', unique('Leaving '));
    const token = await keptToken(page, room.id);
    await page.evaluate(() =>
      (window as unknown as { Parlor: (c: string) => void }).Parlor('logout'),
    );
    await inFrame(frame, 'widget-notice').waitFor();
    expect(await inFrame(frame, 'widget-notice').textContent()).toBe('You have left the chat.');
    expect(await storedToken(page, room.id)).toBeNull();
    await until(async () => (await suite.api.call('/me', { token })).status).toBe(401);
    // The next message asks for a name again: a new visitor.
    await inFrame(frame, 'composer-input').fill('Hello again');
    await inFrame(frame, 'visitor-send').click();
    await inFrame(frame, 'visitor-name').waitFor();
  });

  it('says the site can no longer show the chat once the owner takes it off the list', async () => {
    const { owner, room } = await embeddedRoom();
    const page = await browsers.open({ path: '/favicon.ico' });
    await page.goto(host.url(room.id));
    await launcher(page).click();
    const frame = await widgetFrame(page);
    await sendAsNewVisitor(frame, 'Still allowed', unique('Shopper '));
    await keptToken(page, room.id);
    const removed = await suite.api.call(`/rooms/${room.id}/embed-origins`, {
      method: 'PUT',
      json: { origins: [] },
      token: owner.token,
    });
    expect(removed.status).toBe(200);
    await until(() => inFrame(frame, 'widget-notice').textContent()).toBe(
      'This website can no longer show this chat.',
    );
  });
});

describe('before a visitor writes', () => {
  it('shows the room’s latest messages, then the live chat once they have written', async () => {
    const { owner, room } = await embeddedRoom();
    await sendOverSocket(suite.api, room.id, owner, ['Welcome to the shop', '**Sale** :tada:']);
    const page = await browsers.open({ path: '/favicon.ico' });
    await page.goto(host.url(room.id));
    await launcher(page).click();
    const frame = await widgetFrame(page);
    const preview = frame.locator('[data-testid="visitor-preview"] li');
    await until(() => preview.allTextContents()).toEqual([
      `${owner.name} Welcome to the shop`,
      `${owner.name} Sale 🎉`,
    ]);
    const name = unique('Visitor ');
    await sendAsNewVisitor(frame, 'Hello', name);
    await until(() => frame.locator('[data-testid="visitor-preview"]').count()).toBe(0);
    await until(() => stored(frame)).toEqual(['Welcome to the shop', 'Sale 🎉', 'Hello']);
  });
});

describe('the widget inline', () => {
  it('shows the chat at once in the target element, and a visitor can send', async () => {
    const { owner, room } = await embeddedRoom();
    const page = await browsers.open({ path: '/favicon.ico' });
    await page.goto(host.url(room.id, { mode: 'inline', target: '#chat-here' }));
    const frame = await widgetFrame(page);
    // Only now has the loader (an async script) surely run: before, no launcher proves nothing.
    expect(await launcher(page).count()).toBe(0);
    expect(await page.locator('#chat-here [data-parlor-widget] iframe').count()).toBe(1);
    // No greeting from the site: a new visitor is still told what happens next.
    await inFrame(frame, 'widget-hello').waitFor();
    expect(await inFrame(frame, 'widget-hello').textContent()).toContain('you choose the name');
    const name = unique('Inline ');
    await sendAsNewVisitor(frame, 'Inline hello', name);
    await until(async () =>
      (await visitorMessages(owner, room.id)).map((m) => [m.author.name, m.text]),
    ).toEqual([[name, 'Inline hello']]);
  });
});

/** The room's messages not written by its owner, as the owner reads them over HTTP. */
async function visitorMessages(owner: E2eUser, roomId: string) {
  const { body } = await suite.api.call(`/rooms/${roomId}/messages`, { token: owner.token });
  const messages = body.messages as {
    text: string;
    author: { id: string; name: string; guest: boolean };
  }[];
  return messages.filter((m) => m.author.id !== owner.id);
}

describe('who may embed', () => {
  it('gives an unlisted site no launcher, and says why in its console', async () => {
    const { room } = await embeddedRoom();
    const page = await browsers.open({ path: '/favicon.ico' });
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning' && m.text().startsWith('Parlor:')) warnings.push(m.text());
    });
    await page.goto(host.url(room.id, {}, host.strangerOrigin));
    await until(() => warnings).toEqual([
      `Parlor: room ${room.id} is not shown: ${host.strangerOrigin} is not on its list of sites that may embed it (the room's Embed settings), or Parlor at ${suite.server.url} could not be reached`,
    ]);
    expect(await page.locator('[data-parlor-widget]').count()).toBe(0);
    // The listed site keeps its launcher.
    await page.goto(host.url(room.id));
    await launcher(page).waitFor();
  });

  it('shows an unlisted site the refusal inside the inline frame, and the page carries frame-ancestors', async () => {
    const { room } = await embeddedRoom();
    const page = await browsers.open({ path: '/favicon.ico' });
    const frameAnswers: { status: number; csp: string | null }[] = [];
    page.on('response', (res) => {
      if (res.url().includes(`/embed/${room.id}`)) {
        frameAnswers.push({
          status: res.status(),
          csp: res.headers()['content-security-policy'] ?? null,
        });
      }
    });
    await page.goto(
      host.url(room.id, { mode: 'inline', target: '#chat-here' }, host.strangerOrigin),
    );
    const frame = await widgetFrame(page);
    await inFrame(frame, 'embed-refused').waitFor();
    expect(await inFrame(frame, 'embed-refused').textContent()).toBe(
      'This chat cannot be shown on this site.',
    );
    expect(await frame.locator('#app').count()).toBe(0);
    expect(frameAnswers).toEqual([
      { status: 403, csp: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *" },
    ]);
    // The chat page itself names the listed site only, so even a page that hides its
    // referrer cannot show it: Chromium refuses the frame.
    const chat = await fetch(`${suite.server.url}/embed/${room.id}`);
    expect(chat.headers.get('content-security-policy')).toContain(`frame-ancestors ${host.origin}`);
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.name = 'hidden-referrer';
      f.referrerPolicy = 'no-referrer';
      f.src = src;
      document.body.append(f);
    }, `${suite.server.url}/embed/${room.id}`);
    const hidden = await until(() => page.frame({ name: 'hidden-referrer' }) !== null)
      .toBe(true)
      .then(() => page.frame({ name: 'hidden-referrer' })!);
    await hidden.waitForLoadState();
    expect(
      await hidden.evaluate(() => document.getElementById('app') !== null).catch(() => false),
    ).toBe(false);
  });
});

describe('messages between the host page and the frame', () => {
  it('are ignored from a wrong window or a wrong origin, on both sides', async () => {
    const { room } = await embeddedRoom();
    const page = await browsers.open({ path: '/favicon.ico' });
    await page.goto(host.url(room.id));
    await launcher(page).click();
    const frame = await widgetFrame(page);
    await sendAsNewVisitor(frame, 'Guarded', unique('Guarded '));
    const token = await keptToken(page, room.id);

    // The loader's side: a forged "session" and "escape" from the page itself (the wrong
    // window), from a frame of Parlor's own origin that is not the widget (right origin,
    // wrong window) and from a frame of a third origin (wrong origin).
    await page.evaluate(
      (ns) => window.postMessage({ ns, type: 'session', token: 'forged' }, '*'),
      NS,
    );
    await page.evaluate(
      ([parlorFrame, otherFrame]) => {
        for (const [name, src] of [
          ['parlor-other', parlorFrame],
          ['third-origin', otherFrame],
        ]) {
          const f = document.createElement('iframe');
          f.name = name!;
          f.src = src!;
          document.body.append(f);
        }
      },
      [`${suite.server.url}/embed/no-such-room`, `${host.strangerOrigin}/blank`],
    );
    for (const name of ['parlor-other', 'third-origin']) {
      let f: Frame | null = null;
      await until(() => (f = page.frame({ name })) !== null).toBe(true);
      await f!.waitForLoadState();
      await f!.evaluate((ns) => {
        parent.postMessage({ ns, type: 'session', token: null }, '*');
        parent.postMessage({ ns, type: 'escape' }, '*');
      }, NS);
    }

    // The frame's side: a "logout" from another window of the host's own origin (a second
    // frame on the host page, which can reach the widget's window through its parent).
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.name = 'host-other';
      f.src = src;
      document.body.append(f);
    }, `${host.origin}/blank`);
    let sibling: Frame | null = null;
    await until(() => (sibling = page.frame({ name: 'host-other' })) !== null).toBe(true);
    await sibling!.waitForLoadState();
    await sibling!.evaluate((ns) => {
      const widget = parent.document
        .querySelector('[data-parlor-widget]')!
        .shadowRoot!.querySelector('iframe')!.contentWindow!;
      widget.postMessage({ ns, type: 'logout' }, '*');
    }, NS);

    // A round trip through the real channel, so every forged message above was delivered
    // and handled (or dropped) before we look: the frame answers Escape by closing.
    await inFrame(frame, 'composer-input').press('Escape');
    await until(() => page.locator('[data-parlor-widget] [role=dialog]').isHidden()).toBe(true);
    expect(await storedToken(page, room.id)).toBe(token);
    expect(await events(page, 'close')).toEqual([null]);
    expect(await inFrame(frame, 'widget-notice').count()).toBe(0);
    // Still signed in inside the frame: the conversation, not the new visitor's composer.
    expect(await inFrame(frame, 'conversation').count()).toBe(1);
    expect((await suite.api.call('/me', { token })).status).toBe(200);

    // The right window from the wrong origin: the widget's frame navigated to another site
    // (its window is the same object the loader trusts) is not Parlor any more.
    await page.evaluate(() => {
      (window as unknown as { delivered: number }).delivered = 0;
      addEventListener('message', () => (window as unknown as { delivered: number }).delivered++);
    });
    await page.evaluate((src) => {
      document.querySelector('[data-parlor-widget]')!.shadowRoot!.querySelector('iframe')!.src =
        src;
    }, `${host.strangerOrigin}/blank?navigated`);
    let navigated: Frame | undefined;
    await until(
      () =>
        (navigated = page.frames().find((f) => f.url().endsWith('/blank?navigated'))) !== undefined,
    ).toBe(true);
    await navigated!.waitForLoadState();
    await navigated!.evaluate(
      (ns) => parent.postMessage({ ns, type: 'session', token: null }, '*'),
      NS,
    );
    await until(() =>
      page.evaluate(() => (window as unknown as { delivered: number }).delivered),
    ).toBe(1);
    expect(await storedToken(page, room.id)).toBe(token);
  });
});

describe('identify', () => {
  /** The site's server side: a few lines of jose with the room's secret. */
  const sign = (secret: string, claims: { sub: string; name: string }, aud: string, exp = 300) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + exp)
      .sign(new TextEncoder().encode(secret));

  async function secretFor(owner: E2eUser, roomId: string): Promise<string> {
    const { status, body } = await suite.api.call(`/rooms/${roomId}/identity-secret`, {
      json: {},
      token: owner.token,
    });
    expect(status).toBe(201);
    return body.secret as string;
  }

  const callIdentify = (page: Page, token: string) =>
    page.evaluate(
      (t) =>
        (window as unknown as { Parlor: (c: string, t: string) => void }).Parlor('identify', t),
      token,
    );

  it('chats as the site’s user with a valid token, and refuses other rooms’, expired and forged ones', async () => {
    const { owner, room } = await embeddedRoom();
    const other = await embeddedRoom();
    const secret = await secretFor(owner, room.id);
    const otherSecret = await secretFor(other.owner, other.room.id);
    const page = await browsers.open({ path: '/favicon.ico' });
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(host.url(room.id));
    await launcher(page).click();
    const frame = await widgetFrame(page);
    await inFrame(frame, 'visitor-send').waitFor();

    const refused = [
      await sign(secret, { sub: 's1', name: 'Wrong room' }, other.room.id),
      await sign(secret, { sub: 's1', name: 'Expired' }, room.id, -60),
      await sign(otherSecret, { sub: 's1', name: 'Forged' }, room.id),
    ];
    for (const [i, token] of refused.entries()) {
      await callIdentify(page, token);
      await until(() => warnings.length).toBe(i + 1);
    }
    expect(warnings.map((w) => w.replace(/^Parlor: identify: Identity refused: /, ''))).toEqual([
      'the token’s audience is not this room',
      'the token has expired',
      'the token is not signed with this room’s secret',
    ]);
    expect(await storedToken(page, room.id)).toBeNull();
    expect(await inFrame(frame, 'conversation').count()).toBe(0);

    const name = unique('Ada ');
    await callIdentify(page, await sign(secret, { sub: 'customer-42', name }, room.id));
    await inFrame(frame, 'conversation').waitFor();
    expect(await storedToken(page, room.id)).toMatch(/^ey/);
    await inFrame(frame, 'composer-input').fill('Signed in by the site');
    await inFrame(frame, 'composer-input').press('Enter');
    await until(() => stored(frame)).toContain('Signed in by the site');
    await until(async () =>
      (await visitorMessages(owner, room.id)).map((m) => [m.author.name, m.text, m.author.guest]),
    ).toEqual([[name, 'Signed in by the site', true]]);
  });
});

describe("the owner's embedding settings in the app", () => {
  it('shows the snippet, saves the sites (refusing a bad one, asking before one goes), says whether a secret exists and asks before replacing it', async () => {
    const owner = await suite.api.guest(unique('owner'));
    const room = await roomWith(suite.api, owner);
    const page = await browsers.open({ as: owner, path: `/c/${room.id}` });
    await conversationReady(page, room.id);
    await page.locator('[data-testid="embed-room"]').click();
    const dialog = page.locator('[data-testid="embed-dialog"]');
    expect(await dialog.getByLabel('Snippet for your site').inputValue()).toBe(
      `<script src="${suite.server.url}/widget.js" data-room="${room.id}" async></script>`,
    );
    const sites = dialog.getByLabel('Sites allowed to embed this room, one per line');
    await sites.fill('http://shop.example');
    await dialog.locator('[data-testid="embed-save"]').click();
    await until(() => dialog.locator('[data-testid="embed-problem"]').textContent()).toContain(
      'must use https://',
    );
    // A wildcard is refused by the server, which says why; the dialog shows its words.
    await sites.fill('https://*.shop.example');
    await dialog.locator('[data-testid="embed-save"]').click();
    await until(() => dialog.locator('[data-testid="embed-problem"]').textContent()).toBe(
      'https://*.shop.example must not contain a wildcard (*): list each site exactly',
    );
    expect(await dialog.locator('[data-testid="embed-status"]').count()).toBe(0);
    await sites.fill(`https://shop.example/\n${host.origin}`);
    await dialog.locator('[data-testid="embed-save"]').click();
    await until(() => dialog.locator('[data-testid="embed-status"]').textContent()).toBe('Saved.');
    expect(await sites.inputValue()).toBe(`${host.origin}\nhttps://shop.example`);
    const listed = await suite.api.call(`/rooms/${room.id}/embed-origins`, { token: owner.token });
    expect(listed.body).toEqual({ origins: [host.origin, 'https://shop.example'], private: false });

    // Taking a site off signs its chats out for good: asked first, and kept when declined.
    const asked: string[] = [];
    let answer = false;
    page.removeAllListeners('dialog');
    page.on('dialog', (d) => {
      asked.push(d.message());
      void (answer ? d.accept() : d.dismiss());
    });
    await sites.fill(host.origin);
    await dialog.locator('[data-testid="embed-save"]').click();
    await until(() => asked.length).toBe(1);
    expect(asked[0]).toContain('Take https://shop.example off the list?');
    const kept = await suite.api.call(`/rooms/${room.id}/embed-origins`, { token: owner.token });
    expect(kept.body.origins).toEqual([host.origin, 'https://shop.example']);
    answer = true;
    await dialog.locator('[data-testid="embed-save"]').click();
    await until(async () => {
      const now = await suite.api.call(`/rooms/${room.id}/embed-origins`, { token: owner.token });
      return now.body.origins;
    }).toEqual([host.origin]);

    // The identity secret: none yet, then made (shown once) without asking; replacing it asks.
    const state = dialog.locator('[data-testid="identity-secret-state"]');
    expect(await state.textContent()).toBe(
      'No identity secret yet: make one to sign your site’s own users in.',
    );
    await dialog.getByRole('button', { name: 'Make an identity secret' }).click();
    const shown = dialog.getByLabel(/Identity secret \(/);
    await until(() => shown.inputValue()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const secret = await shown.inputValue();
    expect(asked.length).toBe(2); // the two about the site, none about a first secret
    await until(() => state.textContent()).toMatch(/^Identity secret made /);
    answer = false;
    await dialog.getByRole('button', { name: 'Replace the identity secret' }).click();
    await until(() => asked.length).toBe(3);
    expect(asked[2]).toContain('Replace the identity secret?');
    expect(await shown.inputValue()).toBe(secret);
    answer = true;
    await dialog.getByRole('button', { name: 'Replace the identity secret' }).click();
    await until(() => shown.inputValue()).not.toBe(secret);
  });

  it('is offered to the owner only, who alone can change it', async () => {
    const owner = await suite.api.guest(unique('owner'));
    const member = await suite.api.guest(unique('member'));
    const room = await roomWith(suite.api, owner, member);
    const page = await browsers.open({ as: member, path: `/c/${room.id}` });
    await conversationReady(page, room.id);
    // The member's header has the room's other actions, and no Embed.
    await page.locator('[data-testid="pins-open"]').waitFor();
    expect(await page.locator('[data-testid="embed-room"]').count()).toBe(0);
    const own = await browsers.open({ as: owner, path: `/c/${room.id}` });
    await conversationReady(own, room.id);
    await own.locator('[data-testid="embed-room"]').waitFor();
  });
});

describe('settings and queued commands', () => {
  it('takes window.ParlorSettings, runs a command queued before it loaded, and follows the page’s dark theme', async () => {
    const { room } = await embeddedRoom();
    const page = await browsers.open({ path: '/favicon.ico', colorScheme: 'dark' });
    const settings = { title: 'Ask the shop', position: 'bottom-left', accent: '#ffd400' };
    await page.goto(
      host.url(room.id, {
        before: `window.ParlorSettings = ${JSON.stringify(settings)}; Parlor('open');`,
      }),
    );
    const panel = page.locator('[data-parlor-widget] [role=dialog]');
    await until(() => panel.isVisible()).toBe(true);
    expect(await panel.getAttribute('aria-label')).toBe('Ask the shop');
    expect((await events(page, 'open')).length).toBe(1);
    const box = (await launcher(page).boundingBox())!;
    expect(box.x).toBeLessThan(100);
    // A light accent gets a dark icon: readable either way.
    expect(await launcher(page).evaluate((el) => getComputedStyle(el).color)).toBe(
      'rgb(17, 17, 17)',
    );
    const frame = await widgetFrame(page);
    await inFrame(frame, 'visitor-send').waitFor();
    expect(await frame.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  });
});
