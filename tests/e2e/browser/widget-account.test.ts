/**
 * Issue 10 in real Chromium, Parlor and a host site on two origins (see widget.test.ts):
 * a widget user's mark shows in the main app, and a person signed in to Parlor chats in the
 * widget as themselves through the first-party popup (the frame never gets the cookie).
 */
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { E2eUser } from '../client';
import { launcher, unique, widgetFrame, widgetSuite } from './suite';
import { contrast, conversationReady, sendOverSocket, until } from './ui';

const { suite, host, embeddedRoom } = widgetSuite();
const { browsers } = suite;

async function account(): Promise<E2eUser & { password: string }> {
  const name = unique('acct');
  const password = 'correct-Horse-battery-9';
  const { status, body } = await suite.api.call('/auth/register?token=1', {
    json: { username: name, password },
  });
  expect(status).toBe(201);
  const user = body.user as { id: string; token: string };
  return { id: user.id, token: user.token, name, password };
}

/**
 * The host page embedding `room`, in a new browser context (signed in to Parlor as `person`
 * when given), with the widget opened.
 */
async function openWidget(room: { id: string }, person?: E2eUser) {
  const page = await browsers.open({ as: person, path: '/favicon.ico' });
  await page.goto(host.url(room.id));
  await launcher(page).click();
  return { page, frame: await widgetFrame(page) };
}

const testId = (target: Page | Frame, id: string) => target.locator(`[data-testid="${id}"]`);

/**
 * Clicks the popup's button that closes it, and waits for the close. The click itself may
 * report "page closed" when the popup shuts before Playwright finishes the action; that is
 * the outcome asked for, so only an error while the popup is still open fails the test.
 */
async function clickClosing(popup: Page, id: string) {
  const closed = popup.waitForEvent('close');
  await testId(popup, id)
    .click()
    .catch((error: unknown) => {
      if (!popup.isClosed()) throw error;
    });
  await closed;
}

/** The conversation is on screen (a session, not the new visitor's composer) and live. */
const connected = (frame: Frame) =>
  until(() => testId(frame, 'connection-status').getAttribute('data-state')).toBe('open');

/** Each acknowledged message on screen as "author: text". */
const authored = (target: Page | Frame) =>
  target.locator('.stream > .group').evaluateAll((groups) =>
    groups.flatMap((g) => {
      const author = g.querySelector('[data-testid="message-author"]')?.textContent ?? '';
      const texts = g.querySelectorAll(
        '[data-testid="message"][data-seq] [data-testid="message-text"]',
      );
      return Array.from(texts, (t) => `${author}: ${t.textContent}`);
    }),
  );

describe('a widget user in the main app', () => {
  it('is shown with a labelled "visitor" tag, readable in both themes', async () => {
    const { owner, room } = await embeddedRoom();
    const name = unique('Visitor ');
    const { status, body } = await suite.api.call('/visitors', {
      json: { room: room.id, origin: host.origin, name },
    });
    expect(status).toBe(201);
    const visitor = body.user as { id: string; token: string };
    await sendOverSocket(suite.api, room.id, { ...visitor, name }, ['Hello from the shop']);
    await sendOverSocket(suite.api, room.id, owner, ['Hello, visitor']);

    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browsers.open({ as: owner, path: `/c/${room.id}`, colorScheme });
      await conversationReady(page, room.id);
      await until(() => authored(page)).toEqual([
        `${name}: Hello from the shop`,
        `${owner.name}: Hello, visitor`,
      ]);
      // The visitor's group carries the tag as text beside the name; the owner's does not.
      const tags = await page
        .locator('.group-head')
        .evaluateAll((heads) => heads.map((h) => h.querySelector('.tag')?.textContent ?? null));
      expect(tags).toEqual(['visitor', 'guest']);
      const tag = page.locator('.group-head .tag[data-kind="visitor"]');
      expect(await tag.isVisible()).toBe(true);
      expect(await contrast(page, '.group-head .tag[data-kind="visitor"]')).toBeGreaterThanOrEqual(
        4.5,
      );
    }
  });
});

describe('chatting in the widget as your Parlor account', () => {
  async function allowInPopup(context: BrowserContext, frame: Frame, question: string) {
    const opened = context.waitForEvent('page');
    await testId(frame, 'widget-account').click();
    const popup = await opened;
    await popup.waitForLoadState();
    return {
      popup,
      ask: () => until(() => testId(popup, 'handoff-question').textContent()).toBe(question),
    };
  }

  it('asks in a first-party popup, then chats as the account, still after a reload', async () => {
    const person = await account();
    const { owner, room } = await embeddedRoom(person);
    const { page, frame } = await openWidget(room, person);
    await testId(frame, 'widget-account').waitFor();
    // The frame is third-party: the person's Lax cookie does not reach it.
    expect(await frame.evaluate(() => fetch('/api/me').then((r) => r.status))).toBe(401);

    const { popup, ask } = await allowInPopup(
      page.context(),
      frame,
      `Chat as @${person.name} in #${room.name} on ${host.origin}?`,
    );
    await ask();
    // Cancel has the keyboard: a stray Enter does not allow.
    await until(() => popup.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await clickClosing(popup, 'handoff-allow');
    await connected(frame);

    // In the panel as themselves: no name asked, their own name on their message.
    await testId(frame, 'composer-input').fill('Hi, it is me');
    await testId(frame, 'composer-input').press('Enter');
    await until(() => authored(frame)).toContain(`${person.name}: Hi, it is me`);
    expect(await testId(frame, 'visitor-name').count()).toBe(0);
    const key = `parlor:${suite.server.url}:${room.id}:token`;
    // The frame hands the token to the loader by postMessage: no order against its own screen.
    await until(() => page.evaluate((k) => localStorage.getItem(k), key)).toMatch(/^ey/);

    // The owner in the app sees the account, untagged: not a visitor.
    const member = await browsers.open({ as: owner, path: `/c/${room.id}` });
    await conversationReady(member, room.id);
    await until(() => authored(member)).toContain(`${person.name}: Hi, it is me`);
    expect(await member.locator('.tag[data-kind="visitor"]').count()).toBe(0);

    // A reload of the host page: still themselves, from the host page's own storage.
    await page.reload();
    await launcher(page).click();
    const again = await widgetFrame(page);
    await connected(again);
    await until(() => authored(again)).toContain(`${person.name}: Hi, it is me`);
    await testId(again, 'composer-input').fill('Back again');
    await testId(again, 'composer-input').press('Enter');
    await until(() => authored(again)).toContain(`${person.name}: Back again`);
    await until(() => authored(member)).toContain(`${person.name}: Back again`);

    // Listed in the app's sessions with the site.
    const { body } = await suite.api.call('/me/sessions', { token: person.token });
    const sites = (body.sessions as { widget?: { origin: string } }[]).flatMap((s) =>
      s.widget ? [s.widget.origin] : [],
    );
    expect(sites).toEqual([host.origin]);

    // `Parlor('logout')` ends that widget session only: gone from the list, the account stays.
    await page.evaluate(() =>
      (window as unknown as { Parlor: (c: string) => void }).Parlor('logout'),
    );
    await until(() => testId(again, 'widget-notice').textContent()).toBe('You have left the chat.');
    await until(async () => {
      const listed = await suite.api.call('/me/sessions', { token: person.token });
      return (listed.body.sessions as { widget?: unknown }[]).filter((s) => s.widget).length;
    }).toBe(0);
    expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBeNull();
    expect((await suite.api.call('/me', { token: person.token })).status).toBe(200);
  });

  it('offers sign-in first when the person is signed out, then continues', async () => {
    const person = await account();
    const { room } = await embeddedRoom(person);
    const { page, frame } = await openWidget(room);
    const { popup, ask } = await allowInPopup(
      page.context(),
      frame,
      `Chat as @${person.name} in #${room.name} on ${host.origin}?`,
    );
    await popup.getByLabel('Username').fill(person.name);
    await popup.getByLabel('Password').fill('wrong-Password-123');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup.getByRole('alert').waitFor();
    await popup.getByLabel('Password').fill(person.password);
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await ask();
    await testId(popup, 'handoff-allow').click();
    await connected(frame);
    await testId(frame, 'composer-input').fill('Signed in from the popup');
    await testId(frame, 'composer-input').press('Enter');
    await until(() => authored(frame)).toContain(`${person.name}: Signed in from the popup`);

    // The app's sessions list shows it with its site and chat; signing it out there ends the
    // panel's session at once.
    const app = await browsers.open({ as: person, path: '/c/global' });
    await conversationReady(app, 'global');
    await testId(app, 'settings-button').click();
    const row = app.locator(`[data-testid="session"][data-widget-origin="${host.origin}"]`);
    await until(() => row.locator('strong').textContent()).toMatch(
      new RegExp(`^Chat widget on ${new URL(host.origin).host}, in ${room.name} \\(`),
    );
    await row.locator('[data-testid="session-revoke"]').click();
    await until(() => row.count()).toBe(0);
    await until(() => testId(frame, 'widget-notice').textContent()).toBe(
      'Your chat session has ended. Send a message to start again.',
    );
    const key = `parlor:${suite.server.url}:${room.id}:token`;
    await until(() => page.evaluate((k) => localStorage.getItem(k), key)).toBeNull();
  });

  it('refuses when opened by anything but the widget’s frame', async () => {
    const person = await account();
    const { room } = await embeddedRoom(person);
    const page = await browsers.open({ as: person, path: '/favicon.ico' });
    await page.goto(host.url(room.id));
    // The host page itself opens the popup: its opener is another origin, so nothing is asked.
    const opened = page.context().waitForEvent('page');
    await page.evaluate(
      ([parlor, id, origin]) =>
        window.open(`${parlor}/widget-account?room=${id}&origin=${encodeURIComponent(origin)}`),
      [suite.server.url, room.id, host.origin] as const,
    );
    const popup = await opened;
    await until(() => testId(popup, 'handoff-problem').textContent()).toBe(
      'Open this from the chat on the site that embeds it.',
    );
    expect(await testId(popup, 'handoff-allow').count()).toBe(0);
    // And no site can frame the question to trick a click on Allow.
    const res = await fetch(`${suite.server.url}/widget-account?room=${room.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('a visitor already chatting who has a Parlor account', () => {
  const key = (roomId: string) => `parlor:${suite.server.url}:${roomId}:token`;
  const storedToken = (page: Page, roomId: string) =>
    page.evaluate((k) => localStorage.getItem(k), key(roomId));

  /** Clicks "Use my Parlor account" in the frame and waits for the popup's question. */
  async function askFromVisitor(page: Page, frame: Frame, question: string) {
    const opened = page.context().waitForEvent('page');
    await testId(frame, 'widget-switch').click();
    const popup = await opened;
    await until(() => testId(popup, 'handoff-question').textContent()).toBe(question);
    // The popup says what becomes of the visitor.
    expect(await popup.locator('.hint').textContent()).toContain(
      'The visitor you chatted as ends: what they wrote stays, shown as “Former visitor”.',
    );
    return popup;
  }

  it('keeps the visitor chatting when the server refuses a switch the person allowed', async () => {
    const person = await account();
    const { room } = await embeddedRoom(person);
    const { page, frame } = await openWidget(room, person);
    const name = unique('Visitor ');
    await testId(frame, 'composer-input').fill('Before the switch');
    await testId(frame, 'visitor-send').click();
    await testId(frame, 'visitor-name').fill(name);
    await testId(frame, 'visitor-send').click();
    await connected(frame);
    await until(() => storedToken(page, room.id)).toMatch(/^ey/);
    const visitorToken = (await storedToken(page, room.id))!;

    // The frame's switch request is held until the account's widget session (the one the
    // popup just made) has been signed out elsewhere: the real server then refuses it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atSwitch = new Promise<void>((resolve) => (reached = resolve));
    await page.context().route('**/widget-session/switch', async (route) => {
      reached();
      await held;
      await route.continue();
    });
    const popup = await askFromVisitor(
      page,
      frame,
      `Chat as @${person.name} in #${room.name} on ${host.origin}?`,
    );
    await testId(popup, 'handoff-allow').click();
    await atSwitch;
    const { body } = await suite.api.call('/me/sessions', { method: 'GET', token: person.token });
    const widget = (body.sessions as { id: string; widget?: unknown }[]).find((x) => x.widget);
    expect(widget).toBeTruthy();
    const revoked = await suite.api.call(`/me/sessions/${widget!.id}/revoke`, {
      json: {},
      token: person.token,
    });
    expect(revoked.status).toBe(200);
    release();

    await until(() => testId(frame, 'widget-notice').textContent()).toBe(
      'Could not switch to your account. You are still a visitor.',
    );
    // Still the visitor, on the same token, and still chatting.
    expect(await testId(frame, 'widget-switch').count()).toBe(1);
    expect(await storedToken(page, room.id)).toBe(visitorToken);
    expect((await suite.api.call('/me', { token: visitorToken })).status).toBe(200);
    await connected(frame);
    await testId(frame, 'composer-input').fill('Still here');
    await testId(frame, 'composer-input').press('Enter');
    await until(() => authored(frame)).toEqual([
      `${name}: Before the switch`,
      `${name}: Still here`,
    ]);
  });

  it('switches to it from the chat, keeps it after a reload, and the visitor ends', async () => {
    const person = await account();
    const { owner, room } = await embeddedRoom(person);
    const { page, frame } = await openWidget(room, person);

    // First as a visitor: a name, a message, a token in the host page's storage.
    const name = unique('Visitor ');
    await testId(frame, 'composer-input').fill('Hello as a visitor');
    await testId(frame, 'visitor-send').click();
    await testId(frame, 'visitor-name').fill(name);
    await testId(frame, 'visitor-send').click();
    await connected(frame);
    await until(() => authored(frame)).toContain(`${name}: Hello as a visitor`);
    await until(() => storedToken(page, room.id)).toMatch(/^ey/);
    const visitorToken = (await storedToken(page, room.id))!;
    const question = `Chat as @${person.name} in #${room.name} on ${host.origin}?`;

    // Cancel: nothing changes, the visitor chats on with the same token.
    const cancelled = await askFromVisitor(page, frame, question);
    await clickClosing(cancelled, 'handoff-cancel');
    await testId(frame, 'composer-input').fill('Still a visitor');
    await testId(frame, 'composer-input').press('Enter');
    await until(() => authored(frame)).toContain(`${name}: Still a visitor`);
    expect(await testId(frame, 'widget-switch').count()).toBe(1);
    expect(await storedToken(page, room.id)).toBe(visitorToken);
    expect((await suite.api.call('/me', { token: visitorToken })).status).toBe(200);

    // The host page cannot switch on its own, even holding a real account session for the
    // site: the frame takes an account only from the popup it opened, and the route refuses
    // the host's origin (no CORS: the browser does not even send it).
    const minted = await suite.api.call(`/rooms/${room.id}/widget-session`, {
      json: { origin: host.origin },
      token: person.token,
    });
    expect(minted.status).toBe(201);
    const planted = minted.body.token as string;
    const fromHost = await page.evaluate(
      async ([parlor, id, visitorTok, accountTok]) => {
        const shadow = document.querySelector('[data-parlor-widget]')!.shadowRoot!;
        shadow
          .querySelector('iframe')!
          .contentWindow!.postMessage(
            { ns: 'parlor:widget:v1', type: 'account', token: accountTok, origin: location.origin },
            parlor,
          );
        try {
          const res = await fetch(`${parlor}/api/rooms/${id}/widget-session/switch`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${visitorTok}` },
            body: JSON.stringify({ token: accountTok }),
          });
          return res.status;
        } catch {
          return 'blocked';
        }
      },
      [suite.server.url, room.id, visitorToken, planted] as const,
    );
    expect(fromHost).toBe('blocked');
    await testId(frame, 'composer-input').fill('Not switched by the page');
    await testId(frame, 'composer-input').press('Enter');
    await until(() => authored(frame)).toContain(`${name}: Not switched by the page`);
    expect(await testId(frame, 'widget-switch').count()).toBe(1);
    expect(await storedToken(page, room.id)).toBe(visitorToken);
    expect((await suite.api.call('/me', { token: visitorToken })).status).toBe(200);

    // Allow: the panel reconnects as the account, without a reload of the host page.
    const popup = await askFromVisitor(page, frame, question);
    await clickClosing(popup, 'handoff-allow');
    await until(() => testId(frame, 'widget-switch').count()).toBe(0);
    await connected(frame);
    await testId(frame, 'composer-input').fill('Now as myself');
    await testId(frame, 'composer-input').press('Enter');
    await until(() => authored(frame)).toEqual([
      `${name}: Hello as a visitor`,
      `${name}: Still a visitor`,
      `${name}: Not switched by the page`,
      `${person.name}: Now as myself`,
    ]);
    expect(await testId(frame, 'visitor-name').count()).toBe(0);
    // The loader keeps the account's session in place of the visitor's.
    await until(() => storedToken(page, room.id)).not.toBe(visitorToken);
    expect(await storedToken(page, room.id)).toMatch(/^ey/);
    // The visitor has ended on the server: its token is refused.
    expect((await suite.api.call('/me', { token: visitorToken })).status).toBe(401);

    // The owner sees the visitor's messages still tagged as the visitor's (the ended visitor
    // gave up its name: "Former visitor"), the account's not.
    const member = await browsers.open({ as: owner, path: `/c/${room.id}` });
    await conversationReady(member, room.id);
    await until(() => authored(member)).toContain(`${person.name}: Now as myself`);
    const tags = await member
      .locator('.group-head')
      .evaluateAll((heads) =>
        heads.map((h) => [
          h.querySelector('[data-testid="message-author"]')?.textContent,
          h.querySelector('.tag')?.textContent ?? null,
        ]),
      );
    expect(tags).toContainEqual(['Former visitor', 'visitor']);
    expect(tags).toContainEqual([person.name, null]);

    // A reload of the host page: still the account.
    await page.reload();
    await launcher(page).click();
    const again = await widgetFrame(page);
    await connected(again);
    await until(() => authored(again)).toContain(`${person.name}: Now as myself`);
    expect(await testId(again, 'widget-switch').count()).toBe(0);
    await testId(again, 'composer-input').fill('After a reload');
    await testId(again, 'composer-input').press('Enter');
    await until(() => authored(again)).toContain(`${person.name}: After a reload`);
    await until(() => authored(member)).toContain(`${person.name}: After a reload`);
  });
});
