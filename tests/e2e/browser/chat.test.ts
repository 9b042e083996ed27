/**
 * Real Chromium against `wrangler dev`: two or more people, each in their own browser
 * context, chatting through the built web client.
 */
import { describe, expect, it } from 'vitest';
import type { E2eUser } from '../client';
import { type Page } from './chromium';
import { browserSuite, unique } from './suite';
import {
  attr,
  byTestId,
  conversationReady,
  messageAt,
  messageSeqs,
  messageTexts,
  roomWith,
  send,
  until,
} from './ui';

const suite = browserSuite();
const { server, browsers } = suite;
const onlineIds = (page: Page, list: 'online-room' | 'online-contacts') =>
  attr(page.locator(`[data-testid="${list}"] [data-testid="online-user"]`), 'data-user-id');
const chatItem = (page: Page, roomId: string) =>
  page.locator(`[data-testid="chat-item"][data-room-id="${roomId}"]`);

const twoGuests = () =>
  Promise.all([suite.api.guest(unique('ada')), suite.api.guest(unique('bo'))]);

describe('two people in real time', () => {
  it('shows a message from one context in the other at once, with its author, and both online', async () => {
    const [ada, bo] = await twoGuests();
    const [a, b] = await Promise.all([browsers.open({ as: ada }), browsers.open({ as: bo })]);

    // Ada creates a room through the dialog and lands in it.
    await byTestId(a, 'new-room-button').click();
    const roomName = unique('Room ');
    await byTestId(a, 'create-room-name').fill(roomName);
    await byTestId(a, 'create-room-submit').click();
    await a.waitForURL((url) => url.pathname.startsWith('/c/') && url.pathname !== '/c/global');
    const roomId = decodeURIComponent(new URL(a.url()).pathname.slice('/c/'.length));
    await conversationReady(a, roomId);
    // A new room asks whom to add (members.test.ts): not now.
    await byTestId(a, 'members-dialog').waitFor();
    await a.keyboard.press('Escape');
    await byTestId(a, 'members-dialog').waitFor({ state: 'detached' });
    expect(await a.locator('#conversation-title').textContent()).toBe(roomName);
    await until(() => attr(chatItem(a, roomId), 'aria-current')).toEqual(['page']);

    // Bo finds it in the room browser and joins; Ada sees the join notice.
    await byTestId(b, 'browse-rooms-button').click();
    await b.locator('#room-filter').fill(roomName);
    await b.locator(`[data-testid="room-join"][data-room-id="${roomId}"]`).click();
    await conversationReady(b, roomId);
    await until(() =>
      a.locator('[data-testid="notice"][data-kind="joined"] bdi').allTextContents(),
    ).toEqual([bo.name]);

    // Both are here, on both screens; strangers to each other, neither is a contact.
    for (const page of [a, b]) {
      await until(async () => (await onlineIds(page, 'online-room')).sort()).toEqual(
        [ada.id, bo.id].sort(),
      );
    }
    expect(await onlineIds(a, 'online-contacts')).toEqual([]);

    await send(a, 'Hello from Ada');
    const first = b.locator('[data-testid="message"]');
    await until(() => messageTexts(b)).toEqual(['Hello from Ada']);
    expect(await attr(first, 'data-author-id')).toEqual([ada.id]);
    expect(await attr(first, 'data-status')).toEqual(['sent']);
    expect(await attr(first, 'data-seq')).toEqual(['2']); // after Bo's join notice
    expect(await byTestId(b, 'message-author').allTextContents()).toEqual([ada.name]);

    // Bo types: Ada sees it; Bo sends: the notice goes and the message arrives, announced.
    await byTestId(b, 'composer-input').fill('Hi Ada');
    await until(() => byTestId(a, 'typing-indicator').allTextContents()).toEqual([
      `${bo.name} is typing…`,
    ]);
    await byTestId(b, 'composer-input').press('Enter');
    await until(() => messageTexts(a)).toEqual(['Hello from Ada', 'Hi Ada']);
    expect(await byTestId(a, 'message-author').allTextContents()).toEqual([ada.name, bo.name]);
    expect(await attr(messageAt(a, 3), 'data-author-id')).toEqual([bo.id]);
    await until(() => byTestId(a, 'live-announcer').allTextContents()).toEqual([
      `${bo.name}: Hi Ada`,
    ]);
    await until(() => byTestId(a, 'typing-indicator').allTextContents()).toEqual(['']);
    // Bo's own message is pending (no seq) until his ack comes back, on its own time.
    await until(() => messageSeqs(b)).toEqual([2, 3]);
  });
});

describe('signing in', () => {
  it('lets a guest in, lands in Global, sends there, and signs out', async () => {
    const page = await browsers.open();
    const name = unique('guest');
    await byTestId(page, 'auth-tab-guest').click();
    await byTestId(page, 'guest-name').fill(name);
    await byTestId(page, 'auth-submit').click();

    await conversationReady(page, 'global');
    expect(new URL(page.url()).pathname).toBe('/c/global');
    await until(() => attr(chatItem(page, 'global'), 'aria-current')).toEqual(['page']);
    const own = page.locator('[data-testid="me"] .me-name bdi');
    expect(await own.textContent()).toBe(name);
    // All of it shown beside Sign out, not cut to "gues…".
    expect(await own.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    expect(await own.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);

    const text = `first words from ${name}`;
    await send(page, text);
    const mine = page.locator('[data-testid="message"]', {
      has: page.locator('[data-testid="message-text"]', { hasText: text }),
    });
    expect(await attr(mine, 'data-status')).toEqual(['sent']);
    const meId = await byTestId(page, 'me').getAttribute('data-user-id');
    expect(await attr(mine, 'data-author-id')).toEqual([meId]);

    // A guest is warned that signing out ends the guest, then signs out.
    await byTestId(page, 'sign-out').click();
    expect(await byTestId(page, 'sign-out-warning-text').textContent()).toBe(
      `You will lose the name “${name}” and your chats unless you set a password. Signing in as a guest again makes a new guest.`,
    );
    await byTestId(page, 'sign-out-confirm').click();
    await byTestId(page, 'auth-tab-signin').waitFor();
    expect(await page.locator('[data-testid="me"]').count()).toBe(0);
  });

  it('refuses a weak password on register with the reason next to the field, then registers', async () => {
    const page = await browsers.open();
    const username = unique('reg');
    await byTestId(page, 'auth-tab-register').click();
    await byTestId(page, 'auth-username').fill(username);
    await byTestId(page, 'auth-password').fill('password1');

    const meter = byTestId(page, 'password-strength');
    await until(() => attr(meter, 'data-score')).toEqual(['0']);
    await until(() => meter.allTextContents()).toEqual([
      'Too weak: This is one of the most common passwords',
    ]);

    await byTestId(page, 'auth-submit').click();
    const error = byTestId(page, 'field-error-auth-password');
    expect(await error.textContent()).toBe('This is one of the most common passwords');
    expect(await byTestId(page, 'auth-password').getAttribute('aria-invalid')).toBe('true');
    expect(await byTestId(page, 'auth-password').getAttribute('aria-describedby')).toBe(
      await error.getAttribute('id'),
    );
    // The error sits inside the password field's own block, not at the top of the form.
    expect(await error.evaluate((el) => el.parentElement?.querySelector('input')?.id ?? null)).toBe(
      'auth-password',
    );
    expect(await page.locator('[data-testid="me"]').count()).toBe(0);
    // Nothing was created: the name is still free.
    const taken = await suite.api.call('/auth/login', {
      json: { username, password: 'password1' },
    });
    expect(taken.status).toBe(401);

    await byTestId(page, 'auth-password').fill('Lantern-orbit-47');
    await until(() => attr(meter, 'data-score')).toEqual(['4']);
    await byTestId(page, 'auth-submit').click();
    await byTestId(page, 'me').waitFor();
    expect(await page.locator('[data-testid="me"] .me-name bdi').textContent()).toBe(username);
  });
});

describe('direct messages', () => {
  it("puts a new DM in the recipient's sidebar live with an unread badge that clears on opening", async () => {
    const [ada, bo] = await twoGuests();
    const [a, b] = await Promise.all([browsers.open({ as: ada }), browsers.open({ as: bo })]);
    await conversationReady(b, 'global');
    const dmId = `dm:${[ada.id, bo.id].sort().join(':')}`;
    expect(await chatItem(b, dmId).count()).toBe(0);

    await byTestId(a, 'find-people-button').click();
    await byTestId(a, 'people-search').fill(bo.name);
    await a.locator(`[data-testid="person-result"][data-user-id="${bo.id}"]`).click();
    await conversationReady(a, dmId);
    await send(a, 'Psst, Bo');

    const item = chatItem(b, dmId);
    await item.waitFor();
    // The first message made them contacts: each sees the other online, live.
    await until(() => onlineIds(b, 'online-contacts')).toEqual([ada.id]);
    await until(() => onlineIds(a, 'online-contacts')).toEqual([bo.id]);
    expect(await item.locator('.chat-name').textContent()).toBe(ada.name);
    const badge = item.locator('[data-testid="unread-badge"]');
    await until(() => badge.allTextContents()).toEqual(['1']);
    // Newest activity first.
    expect((await attr(byTestId(b, 'chat-item'), 'data-room-id'))[0]).toBe(dmId);

    await send(a, 'Are you there?');
    await until(() => badge.allTextContents()).toEqual(['2']);

    await item.click();
    await conversationReady(b, dmId);
    // The page from D1 may lag the room; the rest comes in the replay after the socket opens.
    await until(() => messageTexts(b)).toEqual(['Psst, Bo', 'Are you there?']);
    expect(await attr(byTestId(b, 'message'), 'data-author-id')).toEqual([ada.id, ada.id]);
    await until(() => badge.count()).toBe(0);
    await until(() => attr(item, 'aria-current')).toEqual(['page']);

    // The read cursor reached the server too: the chat list over HTTP agrees.
    await until(async () => {
      const { body } = await suite.api.call('/chats', { token: bo.token });
      return (body.chats as { id: string; unread: number }[]).find((c) => c.id === dmId)?.unread;
    }).toBe(0);
  });
});

describe('editing and deleting', () => {
  it("shows the author's edit (with the edited marker) and delete (as a tombstone) to the other", async () => {
    const { room, a, b } = await suite.twoInRoom();
    await send(a, 'Meet at 5');
    await send(a, 'Bring snacks');
    await until(() => messageTexts(b)).toEqual(['Meet at 5', 'Bring snacks']);
    // Only the author gets the controls.
    expect(await byTestId(b, 'message-edit').count()).toBe(0);
    expect(await byTestId(b, 'message-delete').count()).toBe(0);

    await messageAt(a, 2).hover();
    await messageAt(a, 2).locator('[data-testid="message-edit"]').click();
    // The box takes focus (caret at the end) as it opens; fill only after that, or the
    // caret move lands between fill's select-all and its typing.
    await until(() =>
      byTestId(a, 'edit-input').evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await byTestId(a, 'edit-input').fill('Meet at 6');
    await byTestId(a, 'edit-save').click();
    await until(() =>
      messageAt(b, 2).locator('[data-testid="message-text"]').allTextContents(),
    ).toEqual(['Meet at 6 (edited)']);
    expect(await messageAt(b, 2).locator('[data-testid="edited-marker"]').count()).toBe(1);

    await messageAt(a, 3).hover();
    await messageAt(a, 3).locator('[data-testid="message-delete"]').click();
    await messageAt(a, 3).locator('[data-testid="message-delete-confirm"]').click();
    await until(() =>
      messageAt(b, 3).locator('[data-testid="tombstone"]').allTextContents(),
    ).toEqual(['This message was deleted']);
    expect(await messageAt(b, 3).locator('[data-testid="message-text"]').count()).toBe(0);
    await until(() => messageAt(a, 3).locator('[data-testid="tombstone"]').count()).toBe(1);
    expect(await messageSeqs(b)).toEqual([2, 3]);

    // The same from history after a reload.
    await b.reload();
    await conversationReady(b, room.id);
    // D1's copy may not have the edit and the delete yet: they come in the socket's replay.
    await until(() => messageSeqs(b)).toEqual([2, 3]);
    await until(() => messageAt(b, 2).locator('[data-testid="message-text"]').textContent()).toBe(
      'Meet at 6 (edited)',
    );
    await until(() => messageAt(b, 3).locator('[data-testid="tombstone"]').count()).toBe(1);
  });
});

describe('the keyboard', () => {
  it('moves between messages with Home, End and the arrows, from the list or a message’s button', async () => {
    const { a } = await suite.twoInRoom();
    for (const text of ['first', 'second', 'third']) await send(a, text);
    await until(() => messageTexts(a)).toEqual(['first', 'second', 'third']);
    const focused = () => a.evaluate(() => document.activeElement?.id ?? '');
    // A chat that opens with the keyboard nowhere puts it in the composer.
    expect(await focused()).toBe('composer-input');
    const [one, two, three] = (await messageSeqs(a)).map((seq) => `m-${seq}`);
    const inMessage = () =>
      a.evaluate(() => document.activeElement?.closest('[data-testid="message"]')?.id ?? null);
    // Tab passes the messages (no author name, notice or button in them is a stop) until one
    // is focused: from the list, it reaches only the list's own controls, then leaves.
    await byTestId(a, 'message-list').focus();
    const stopsInStream: string[] = [];
    for (let i = 0; i < 20; i++) {
      await a.keyboard.press('Tab');
      const stop = await a.evaluate(() => {
        const at = document.activeElement;
        if (!at?.closest('[data-testid="message-list"]')) return null;
        return at.closest('.stream') ? (at.getAttribute('data-testid') ?? at.tagName) : '';
      });
      if (stop === null) break;
      if (stop) stopsInStream.push(stop);
    }
    expect(stopsInStream).toEqual([]);
    expect(await a.evaluate(() => document.activeElement?.tagName)).not.toBe('BODY');
    await byTestId(a, 'message-list').focus();
    await a.keyboard.press('End');
    expect(await focused()).toBe(three);
    await a.keyboard.press('ArrowUp');
    expect(await focused()).toBe(two);
    // Tab reaches the message's own buttons; Down from one goes on to the next message.
    await a.keyboard.press('Tab');
    expect(await inMessage()).toBe(two);
    // Tab goes on through that message's controls only, then out of the list.
    const visited: (string | null)[] = [];
    for (let i = 0; i < 12; i++) {
      const where = await a.evaluate(() =>
        document.activeElement?.closest('[data-testid="message-list"]')
          ? (document.activeElement.closest('[data-testid="message"]')?.id ?? 'list')
          : null,
      );
      if (where === null) break;
      visited.push(where);
      await a.keyboard.press('Tab');
    }
    expect(new Set(visited)).toEqual(new Set([two]));
    expect(visited.length).toBeGreaterThan(2);
    // A group's first message: its author's name, then its own buttons (the toolbar stays
    // shown while the name has focus), not on out of the list.
    await a.locator(`#${one}`).focus();
    await a.keyboard.press('Tab');
    expect(await a.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'message-author',
    );
    await a.keyboard.press('Tab');
    expect(await inMessage()).toBe(one);
    expect(await a.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'message-react',
    );
    await a.locator(`#${two}`).focus();
    await a.keyboard.press('ArrowDown');
    expect(await focused()).toBe(three);
    // Home reaches the first item: the join notices come before the messages.
    await a.keyboard.press('Home');
    expect(
      await a.evaluate(
        () =>
          document.activeElement ===
          document.querySelector('[data-testid="message"], li.notice[tabindex]'),
      ),
    ).toBe(true);
    // A reaction picked from the keyboard gives focus back to "React", not to <body>.
    await messageAt(a, Number(one!.slice(2))).focus();
    await messageAt(a, Number(one!.slice(2)))
      .locator('[data-testid="message-react"]')
      .focus();
    await a.keyboard.press('Enter');
    await until(() => a.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'react-choice',
    );
    await a.keyboard.press('Enter');
    await until(() => byTestId(a, 'reaction').count()).toBe(1);
    await until(() =>
      a.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? ''),
    ).toBe('message-react');
    // Left and Right move between the choices (round the ends); a page key that takes focus
    // out of them closes them.
    const focusedLabel = () => a.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    await a.keyboard.press('Enter');
    await until(focusedLabel).toBe('React with 👍');
    await a.keyboard.press('ArrowRight');
    expect(await focusedLabel()).toBe('React with ❤️');
    await a.keyboard.press('ArrowLeft');
    await a.keyboard.press('ArrowLeft');
    expect(await focusedLabel()).toBe('More emoji');
    await a.keyboard.press('End');
    expect(await focused()).toBe(three);
    expect(await byTestId(a, 'react-choice').count()).toBe(0);
    // The composer keeps its own keys.
    await byTestId(a, 'composer-input').focus();
    await a.keyboard.press('Home');
    expect(await focused()).toBe('composer-input');
  });
});

describe('focus after a change', () => {
  it('leaves focus on a message deleted from the keyboard, not on the page', async () => {
    const { a } = await suite.twoInRoom();
    await send(a, 'Wrong room, sorry');
    const seq = (await messageSeqs(a)).at(-1)!;
    const focusedTestId = () =>
      a.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    await messageAt(a, seq).focus();
    await messageAt(a, seq).locator('[data-testid="message-delete"]').focus();
    await a.keyboard.press('Enter');
    await until(focusedTestId).toBe('message-delete-confirm');
    await a.keyboard.press('Enter');
    await until(() => messageAt(a, seq).locator('[data-testid="tombstone"]').count()).toBe(1);
    expect(await a.evaluate(() => document.activeElement?.id)).toBe(`m-${seq}`);
  });

  it('says Offline while the browser has no network, and Connected once it is back', async () => {
    const { ada, b, a } = await suite.twoInRoom();
    // Bo writes last: what Ada writes offline must not look like his.
    await byTestId(b, 'composer-input').fill('from Bo');
    await byTestId(b, 'composer-input').press('Enter');
    await until(() => messageTexts(a)).toEqual(['from Bo']);
    const status = byTestId(a, 'connection-status');
    await a.context().setOffline(true);
    await until(() => status.locator('.connection-label').textContent()).toBe('Offline');
    await byTestId(a, 'composer-input').fill('written offline');
    await byTestId(a, 'composer-input').press('Enter');
    const waiting = a.locator('li.group.own', { has: a.locator('[data-status="pending"]') });
    await until(() => waiting.locator('.group-head.author').textContent()).toBe(ada.name);
    await a.context().setOffline(false);
    // Reconnecting waits out the backoff (up to 16 s after five failed attempts).
    await until(() => status.getAttribute('data-state'), 40_000).toBe('open');
    expect(await status.locator('.connection-label').textContent()).toBe('Connected');
  });
});

describe('a narrow screen', () => {
  it('opens the people drawer with the keyboard in it, and Escape closes it back to its toggle', async () => {
    const [ada] = await twoGuests();
    const page = await browsers.open({
      as: ada,
      path: '/c/global',
      viewport: { width: 375, height: 740 },
    });
    await conversationReady(page, 'global');
    await byTestId(page, 'people-toggle').click();
    const focusedTestId = () =>
      page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    await until(focusedTestId).toBe('people-close');
    await page.keyboard.press('Escape');
    await until(() => page.locator('#people-panel').count()).toBe(0);
    expect(await focusedTestId()).toBe('people-toggle');
  });
});

describe('the composer', () => {
  it('keeps a pasted text past the limit whole, says by how much, and sends once it fits', async () => {
    const { a, b } = await suite.twoInRoom();
    const box = byTestId(a, 'composer-input');
    await box.fill('x'.repeat(4010));
    expect((await box.inputValue()).length).toBe(4010);
    expect(await byTestId(a, 'counter').textContent()).toBe('10 characters too long');
    expect(await byTestId(a, 'send-button').isDisabled()).toBe(true);
    await box.press('Enter');
    expect(await messageTexts(b)).toEqual([]);
    await box.fill('x'.repeat(4000));
    expect(await byTestId(a, 'counter').textContent()).toBe('0 left');
    await box.press('Enter');
    await until(() => messageTexts(b)).toEqual(['x'.repeat(4000)]);
    // An emoji is one character, as the server counts (code points), not two UTF-16 units.
    await box.fill('😀'.repeat(4001));
    expect(await byTestId(a, 'counter').textContent()).toBe('1 character too long');
    await box.fill('😀'.repeat(4000));
    expect(await byTestId(a, 'counter').textContent()).toBe('0 left');
    await box.press('Enter');
    await until(() => messageTexts(b)).toEqual(['x'.repeat(4000), '😀'.repeat(4000)]);
  });

  it('sends /shrug and /me as what they say, and any other / text as typed', async () => {
    const { a, b } = await suite.twoInRoom();
    for (const text of ['/shrug no idea', '/me waves', '/usr/bin is full']) await send(a, text);
    await until(() => messageTexts(b)).toEqual([
      'no idea ¯\\_(ツ)_/¯',
      'waves',
      '/usr/bin is full',
    ]);
    const action = b.locator('[data-testid="message-text"]').nth(1).locator('em');
    expect(await action.textContent()).toBe('waves');
  });

  it('edits a long message of emoji: typing goes in (no UTF-16 cap), and past the limit Save waits', async () => {
    const { a, b } = await suite.twoInRoom();
    const box = byTestId(a, 'composer-input');
    const long = '😀'.repeat(3990);
    await box.fill(long);
    await box.press('Enter');
    await until(() => messageTexts(b)).toEqual([long]);
    await box.press('ArrowUp');
    const edit = byTestId(a, 'edit-input');
    await edit.waitFor();
    await edit.press('End');
    await edit.pressSequentially('!!');
    expect(await edit.inputValue()).toBe(`${long}!!`);
    expect(await byTestId(a, 'counter').textContent()).toBe('8 left');
    await edit.fill('😀'.repeat(4001));
    expect(await byTestId(a, 'counter').textContent()).toBe('1 character too long');
    expect(await byTestId(a, 'edit-save').isDisabled()).toBe(true);
    await edit.press('Enter');
    expect(await edit.isVisible()).toBe(true);
    await edit.fill(`${long}!!`);
    await edit.press('Enter');
    await until(() => messageTexts(b)).toEqual([`${long}!! (edited)`]);
  });
});

describe('hostile text', () => {
  const payloads = [
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    'javascript:alert(1)',
    '<a href="javascript:alert(2)">click me</a>',
    'data:text/html,<script>alert(3)</script>',
    'invoice\u202Efdp.exe and \u2067isolated\u2069 text',
    'docs at https://example.com/a?b=1&c=2, now',
  ];

  // An override (U+202E) is left out of what is shown: the spoof reads as it was written.
  const shownPayloads = payloads.map((p) => p.replace('\u202E', ''));

  async function expectInert(page: Page) {
    await until(() => messageTexts(page)).toEqual(shownPayloads);
    expect(browsers.dialogs).toEqual([]);
    // Nothing the text described became an element: no images or scripts anywhere in the app.
    expect(await page.locator('#app img, #app script, #app iframe, #app object').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i], a[href^="data:" i]').count()).toBe(0);
    const links = page.locator('[data-testid="message-text"] a');
    expect(await attr(links, 'href')).toEqual(['https://example.com/a?b=1&c=2']);
    expect(await attr(links, 'rel')).toEqual(['noopener noreferrer nofollow ugc']);
    expect(await links.allTextContents()).toEqual(['https://example.com/a?b=1&c=2']);
    // The override stays inside its message (isolated: `plaintext` or `isolate`), not
    // reordering the author, the time or the next message.
    const bidi = page.locator('[data-testid="message-text"]').nth(5);
    expect(['isolate', 'plaintext']).toContain(
      await bidi.evaluate((el) => getComputedStyle(el).unicodeBidi),
    );
  }

  it('renders markup, javascript: links and bidi controls as inert text, and https as a safe link', async () => {
    const { room, a, b } = await suite.twoInRoom();
    for (const text of payloads) await send(a, text);
    await expectInert(b); // live
    await expectInert(a); // the sender's own, from acks
    await b.reload();
    await conversationReady(b, room.id);
    await expectInert(b); // from history
  });

  it('keeps bidi controls in a message from reordering the "edited" marker after it', async () => {
    const [ada, bo] = await twoGuests();
    const room = await roomWith(suite.api, ada, bo);
    const socket = await suite.api.open(`/rooms/${room.id}/ws`, ada.token);
    const clientId = crypto.randomUUID();
    // An embedding (U+202B, right-to-left), which is shown, unlike an override.
    socket.send({ type: 'send', clientId, text: 'invoice \u202Bfdp.exe' });
    await socket.q.take((f) => f.type === 'ack' && f.clientId === clientId);
    socket.send({ type: 'edit', target: 2, text: 'invoice \u202Bfdp.exe!' });
    await socket.q.take((f) => f.type === 'edit');
    socket.close();

    const b = await browsers.open({ as: bo, path: `/c/${room.id}` });
    await conversationReady(b, room.id);
    const text = messageAt(b, 2).locator('[data-testid="message-text"]');
    // The edit may reach the page in the socket's replay, after a history page from D1 without it.
    await until(() => text.textContent()).toBe('invoice \u202Bfdp.exe! (edited)');
    // The marker is the app's words, not the author's: it must still read "(edited)" left
    // to right, after the text, whatever direction the text forced on itself.
    const layout = await text.evaluate((p) => {
      const marker = p.querySelector('[data-testid="edited-marker"]')!;
      const range = document.createRange();
      range.setStartBefore(p.firstChild!);
      range.setEndBefore(marker);
      return {
        textRight: Math.max(...Array.from(range.getClientRects()).map((r) => r.right)),
        markerLeft: marker.getBoundingClientRect().left,
      };
    });
    expect(layout.markerLeft).toBeGreaterThanOrEqual(layout.textRight - 1);
  });
});
