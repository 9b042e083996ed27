/**
 * Real Chromium against `wrangler dev`, for the client's side of the trust fixes: unknown and
 * unjoined rooms, keyboard focus while editing and paging, right-to-left text, a lost event
 * healed without a reload, and rate-limited sends that go out by themselves.
 */
import { describe, expect, it } from 'vitest';
import type { E2eUser } from '../client';
import { type Page } from './chromium';
import { browserSuite, unique } from './suite';
import {
  attr,
  byTestId,
  conversationReady,
  historyReaches,
  messageAt,
  messageSeqs,
  messageTexts,
  roomWith,
  send,
  sendOverSocket,
  until,
} from './ui';

const suite = browserSuite();
const { browsers } = suite;
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** What has the keyboard focus: its id, else its tag. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.id || el?.tagName.toLowerCase() || null;
  });

async function inOwnRoom(name = unique('ada')) {
  const ada = await suite.api.guest(name);
  const room = await roomWith(suite.api, ada);
  const page = await browsers.open({ as: ada, path: `/c/${room.id}` });
  await conversationReady(page, room.id);
  return { ada, room, page };
}

describe('rooms that do not exist or are not joined', () => {
  it('shows "No such room" for an unknown address, with no Join button', async () => {
    const guest = await suite.api.guest(unique('lost'));
    const page = await browsers.open({ as: guest, path: '/c/does-not-exist' });
    await byTestId(page, 'no-such-room').waitFor();
    expect(await page.locator('#conversation-title').textContent()).toBe('No such room');
    expect(await byTestId(page, 'join-room').count()).toBe(0);
    expect(await byTestId(page, 'composer-input').count()).toBe(0);
  });

  it('says another pair’s DM is private, with no header actions or composer', async () => {
    const [ada, bo, eve] = await Promise.all(
      ['ada', 'bo', 'eve'].map((n) => suite.api.guest(unique(n))),
    );
    const opened = await suite.api.call('/dms', {
      method: 'POST',
      json: { userId: bo!.id },
      token: ada!.token,
    });
    const dm = (opened.body as { chat: { id: string } }).chat.id;
    const page = await browsers.open({ as: eve!, path: `/c/${encodeURIComponent(dm)}` });
    await byTestId(page, 'no-such-room').waitFor();
    expect(await page.locator('#conversation-title').textContent()).toBe('Private conversation');
    expect(await byTestId(page, 'conversation-error').textContent()).toBe(
      'This conversation is private to its members',
    );
    expect(await byTestId(page, 'pins-open').count()).toBe(0);
    expect(await byTestId(page, 'composer-input').count()).toBe(0);
  });

  it('says "This chat does not exist" in the widget for an unknown room, with no chat', async () => {
    const page = await browsers.open({ path: '/embed/does-not-exist' });
    expect(await byTestId(page, 'embed-refused').textContent()).toBe('This chat does not exist.');
    expect(await page.locator('#app').count()).toBe(0);
    expect(await byTestId(page, 'composer-input').count()).toBe(0);
  });

  it('shows an unjoined public room by URL with its real name, topic and who is there', async () => {
    const [owner, visitor] = await Promise.all([
      suite.api.guest(unique('own')),
      suite.api.guest(unique('vis')),
    ]);
    const name = unique('Garden ');
    const created = await suite.api.call('/rooms', {
      json: { name, topic: 'Roses and weeds' },
      token: owner.token,
    });
    expect(created.status).toBe(201);
    const roomId = (created.body.room as { id: string }).id;
    const ownerSocket = await suite.api.open(`/rooms/${roomId}/ws`, owner.token);
    try {
      const page = await browsers.open({ as: visitor, path: `/c/${roomId}` });
      await until(() => page.locator('#conversation-title').textContent()).toBe(name);
      expect(await page.locator('.conversation-header .topic').textContent()).toBe(
        'Roses and weeds',
      );
      await until(() =>
        attr(
          page.locator('[data-testid="online-room"] [data-testid="online-user"]'),
          'data-user-id',
        ),
      ).toEqual([owner.id]);
      expect(await byTestId(page, 'join-room').textContent()).toBe('Join to chat');
    } finally {
      ownerSocket.close();
    }
  });
});

describe('keyboard', () => {
  it('moves focus into the edit box, back to the message on Escape, to the composer on Save', async () => {
    const { page } = await inOwnRoom();
    await send(page, 'first words');
    const message = messageAt(page, 1);
    await message.hover();
    await byTestId(page, 'message-edit').click();
    await until(() => focused(page)).toBe('edit-input');

    await byTestId(page, 'edit-input').press('Escape');
    await until(() => focused(page)).toBe('m-1');
    expect(await byTestId(page, 'edit-input').count()).toBe(0);

    await message.hover();
    await byTestId(page, 'message-edit').click();
    await until(() => focused(page)).toBe('edit-input');
    await byTestId(page, 'edit-input').fill('better words');
    await byTestId(page, 'edit-input').press('Enter');
    await until(() => focused(page)).toBe('composer-input');
    await until(() => message.locator('[data-testid="message-text"]').textContent()).toBe(
      'better words (edited)',
    );
  });

  it('↑ in an empty composer edits the last own message with focus in the editor', async () => {
    const { page } = await inOwnRoom();
    await send(page, 'one');
    await send(page, 'two');
    await byTestId(page, 'composer-input').press('ArrowUp');
    await until(() => focused(page)).toBe('edit-input');
    expect(await byTestId(page, 'edit-input').inputValue()).toBe('two');
    expect(
      await page
        .locator('[data-testid="message"]:has([data-testid="edit-input"])')
        .getAttribute('data-seq'),
    ).toBe('2');
  });

  it('tabbing onto "Load older messages" loads nothing; pressing it loads one page and keeps focus', async () => {
    const writers = await Promise.all(range(1, 13).map(() => suite.api.guest(unique('w'))));
    const reader = await suite.api.guest(unique('reader'));
    const room = await roomWith(suite.api, reader, ...writers);
    // Ten each: the room's per-user burst.
    for (const [i, w] of writers.entries()) {
      await sendOverSocket(
        suite.api,
        room.id,
        w,
        range(1, 10).map((n) => `w${i} m${n}`),
      );
    }
    // The 13 writers' join notices took seqs 1–13: the 130 messages are 14–143.
    const last = 13 + 130;
    await historyReaches(suite.api, room.id, reader.token, last);
    const page = await browsers.open({ as: reader, path: `/c/${room.id}` });
    await conversationReady(page, room.id);
    const before = await messageSeqs(page);
    expect(before.at(-1)).toBe(last);

    await byTestId(page, 'message-list').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Load older messages',
    );
    await page.keyboard.press('Enter');
    const first = Math.max(1, before[0]! - 50);
    await until(async () => (await messageSeqs(page))[0]).toBe(first);
    // Exactly one page more: the Tab itself loaded nothing.
    expect(await messageSeqs(page)).toEqual(range(first, last));
    const stillOlder = first > 1;
    expect(await page.evaluate(() => document.activeElement?.tagName.toLowerCase())).toBe(
      stillOlder ? 'button' : 'div',
    );
  });
});

describe('right-to-left text', () => {
  /** Where the text sits in its element: its run's box's edges against the element's. */
  const placement = (page: Page, seq: number) =>
    messageAt(page, seq)
      .locator('[data-testid="message-text"]')
      .evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el.querySelector('.md-run')!);
        const text = range.getBoundingClientRect();
        const box = el.getBoundingClientRect();
        return {
          direction: getComputedStyle(el).direction,
          dir: el.getAttribute('dir'),
          rightGap: Math.round(box.right - text.right),
          leftGap: Math.round(text.left - box.left),
        };
      });

  it('aligns a right-to-left message right and a left-to-right one left', async () => {
    const { page } = await inOwnRoom();
    await send(page, 'שלום לכולם, מה שלומכם?');
    await send(page, 'Hello everyone');
    const rtl = await placement(page, 1);
    expect(rtl).toMatchObject({ direction: 'rtl', dir: 'auto', rightGap: 0 });
    expect(rtl.leftGap).toBeGreaterThan(0);
    const ltr = await placement(page, 2);
    expect(ltr).toMatchObject({ direction: 'ltr', dir: 'auto', leftGap: 0 });
    expect(ltr.rightGap).toBeGreaterThan(0);
  });

  it('keeps a mention’s @ before its name inside right-to-left text', async () => {
    const { page } = await inOwnRoom();
    await send(page, 'مرحبا @here بالعالم');
    const chip = messageAt(page, 1).locator('[data-testid="mention"]');
    const order = await chip.evaluate((el) => {
      const at = document.createRange();
      at.selectNodeContents(el.firstChild!);
      const name = el.querySelector('bdi')!.getBoundingClientRect();
      return {
        text: el.textContent,
        atRight: at.getBoundingClientRect().right,
        nameLeft: name.left,
      };
    });
    expect(order.text).toBe('@here');
    // Left to right on screen: "@", then the name (it read "here@" in a right-to-left line).
    expect(order.atRight).toBeLessThanOrEqual(order.nameLeft + 0.5);
  });

  it('truncates a right-to-left room name at its end', async () => {
    const ada = await suite.api.guest(unique('ada'));
    const name = `חדר ${unique('')} של הצוות הגדול מאוד`;
    const created = await suite.api.call('/rooms', { json: { name }, token: ada.token });
    expect(created.status).toBe(201);
    const roomId = (created.body.room as { id: string }).id;
    const page = await browsers.open({ as: ada, path: `/c/${roomId}` });
    await conversationReady(page, roomId);
    const chatName = page.locator(`[data-testid="chat-item"][data-room-id="${roomId}"] .chat-name`);
    expect(
      await chatName.evaluate((el) => ({
        text: el.textContent,
        direction: getComputedStyle(el).direction,
        overflow: getComputedStyle(el).textOverflow,
      })),
    ).toEqual({ text: name, direction: 'rtl', overflow: 'ellipsis' });
    expect(
      await page.locator('#conversation-title').evaluate((el) => getComputedStyle(el).direction),
    ).toBe('rtl');
  });
});

describe('events and sends the client heals by itself', () => {
  it('a lost live event is fetched again instead of leaving a hole', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const room = await roomWith(suite.api, ada, bo);
    const page = await browsers.open({ as: ada });
    // Between the room and the page, the first live frame with the text "lost" goes missing.
    let dropped = false;
    await page.context().routeWebSocket(/\/api\/rooms\/.*\/ws/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => {
        if (!dropped && typeof m === 'string' && m.includes('"text":"lost"')) {
          dropped = true;
          return;
        }
        ws.send(m);
      });
    });
    await page.goto(`/c/${room.id}`);
    await conversationReady(page, room.id);
    // Bo's join notice took seq 1.
    expect(await sendOverSocket(suite.api, room.id, bo, ['lost'])).toEqual([2]);
    await until(() => dropped).toBe(true);
    expect(await sendOverSocket(suite.api, room.id, bo, ['after'])).toEqual([3]);
    await until(() => messageTexts(page)).toEqual(['lost', 'after']);
    expect(await messageSeqs(page)).toEqual([2, 3]);
  });

  it('sends more than the burst allows after a reconnect, without a Retry click', async () => {
    const { page } = await inOwnRoom();
    await page.context().setOffline(true);
    await until(() => byTestId(page, 'connection-status').getAttribute('data-state')).not.toBe(
      'open',
    );
    const texts = range(1, 14).map((n) => `queued ${n}`);
    for (const text of texts) {
      await byTestId(page, 'composer-input').fill(text);
      await byTestId(page, 'composer-input').press('Enter');
    }
    expect(await page.locator('[data-testid="message"][data-status="pending"]').count()).toBe(14);
    await page.context().setOffline(false);
    await until(() => messageSeqs(page), 30_000).toEqual(range(1, 14));
    expect(await messageTexts(page)).toEqual(texts);
    expect(await byTestId(page, 'retry-button').count()).toBe(0);
  });
});

describe('presence the UI can explain', () => {
  const ids = (page: Page, list: 'online-room' | 'online-contacts') =>
    attr(page.locator(`[data-testid="${list}"] [data-testid="online-user"]`), 'data-user-id');

  it('counts "Here" as the list shows it, tags a guest, and says "unknown" while offline', async () => {
    const { ada, room, page } = await inOwnRoom();
    const visitor = await suite.api.guest(unique('vis'));
    await suite.api.call(`/rooms/${room.id}/join`, { json: {}, token: visitor.token });
    // A room socket and no lobby socket: how an embedded widget is connected.
    const widget = await suite.api.open(`/rooms/${room.id}/ws`, visitor.token);
    try {
      await until(async () => (await ids(page, 'online-room')).sort()).toEqual(
        [ada.id, visitor.id].sort(),
      );
      // A stranger, not someone Ada has DMs with.
      expect(await ids(page, 'online-contacts')).not.toContain(visitor.id);
      expect(
        await page
          .locator(`[data-testid="online-room"] [data-user-id="${visitor.id}"] .tag`)
          .allTextContents(),
      ).toEqual(['guest']);
      expect(await byTestId(page, 'people-toggle').textContent()).toBe('Here 2');
      expect(await page.locator('#online-room-heading').textContent()).toBe('Here 2');

      await page.context().setOffline(true);
      await until(() => byTestId(page, 'online-room').getAttribute('data-known')).toBe('false');
      expect(await byTestId(page, 'people-toggle').textContent()).toBe('Here –');
      expect(await byTestId(page, 'online-room-hint').textContent()).toBe(
        'Not connected: who is here is unknown until we reconnect',
      );
      await until(() => byTestId(page, 'online-contacts').getAttribute('data-known')).toBe('false');

      await page.context().setOffline(false);
      await until(() => byTestId(page, 'online-room').getAttribute('data-known')).toBe('true');
      await until(() => byTestId(page, 'people-toggle').textContent()).toBe('Here 2');
    } finally {
      widget.close();
    }
  });
});

describe('names by id', () => {
  it('a rename in settings shows on old messages in every open page, without a reload', async () => {
    const { bo, a, b } = await suite.twoInRoom();
    await send(b, 'before the rename');
    await until(() => messageTexts(a)).toEqual(['before the rename']);
    const authors = (page: Page) =>
      page.locator('[data-testid="message-author"] bdi').allTextContents();
    expect(await authors(a)).toEqual([bo.name]);

    const newName = unique('Robin');
    await byTestId(b, 'settings-button').click();
    await byTestId(b, 'rename-name').fill(newName);
    await byTestId(b, 'rename-submit').click();
    await until(() => byTestId(b, 'rename-done').textContent()).toBe('Username changed.');
    await until(() => authors(a)).toEqual([newName]);
    await until(() => authors(b)).toEqual([newName]);
    expect(await b.locator('[data-testid="me"] .me-name bdi').textContent()).toBe(newName);
  });
});

describe('small things on screen', () => {
  it('in dark mode, names are readable and the hover time stays on one line', async () => {
    const ada = await suite.api.guest(unique('ada'));
    // Colours come from a palette, so two people can share one: take a Bo who does not.
    let bo = await suite.api.guest(unique('bo'));
    while (bo.color === ada.color) bo = await suite.api.guest(unique('bo'));
    const room = await roomWith(suite.api, ada, bo);
    await sendOverSocket(suite.api, room.id, bo, ['one from Bo', 'two from Bo']);
    await historyReaches(suite.api, room.id, ada.token, 3); // after Bo's join notice
    const page = await browsers.open({ as: ada, path: `/c/${room.id}`, colorScheme: 'dark' });
    await conversationReady(page, room.id);
    await send(page, 'and one from Ada');
    await send(page, 'שלום, זו הודעה מימין לשמאל');

    const authors = await page.locator('[data-testid="message-author"]').evaluateAll((els) => {
      const rgb = (css: string) =>
        css
          .match(/\d+(\.\d+)?/g)!
          .slice(0, 3)
          .map(Number);
      const lum = (css: string) => {
        const [r, g, b] = rgb(css).map((v) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        }) as [number, number, number];
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const bg = getComputedStyle(document.querySelector('.message-scroll')!).backgroundColor;
      const page = getComputedStyle(document.body).backgroundColor;
      const back = bg === 'rgba(0, 0, 0, 0)' ? page : bg;
      return els.map((el) => {
        const [hi, lo] = [lum(getComputedStyle(el).color), lum(back)].sort((x, y) => y - x);
        return { color: getComputedStyle(el).color, ratio: (hi! + 0.05) / (lo! + 0.05) };
      });
    });
    expect(authors).toHaveLength(2);
    for (const a of authors) expect(a.ratio).toBeGreaterThanOrEqual(4.5);
    expect(authors[0]!.color).not.toBe(authors[1]!.color);

    const second = messageAt(page, 3);
    await second.hover();
    const time = second.locator('.message-time');
    expect(
      await time.evaluate((el) => el.getClientRects().length === 1 && el.scrollHeight <= 20),
    ).toBe(true);
    await page.screenshot({ path: '/tmp/parlor-dark.png' });
  });
});

describe('a phone-sized window', () => {
  const phone = { width: 375, height: 740 };
  /** For each element `selector` finds: whether all of it is inside the window's width. */
  const inWindow = (page: Page, selector: string) =>
    page.locator(selector).evaluateAll((els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        return box.left >= 0 && box.right <= document.documentElement.clientWidth;
      }),
    );

  it('opens every pop-up inside the window, though its button is near the left edge', async () => {
    const ada = await suite.api.guest(unique('ada'));
    const room = await roomWith(suite.api, ada);
    await sendOverSocket(suite.api, room.id, ada, ['react to me']);
    const page = await browsers.open({ as: ada, path: `/c/${room.id}`, viewport: phone });
    await conversationReady(page, room.id);

    const message = page.locator('[data-testid="message"][data-seq]').first();
    await message.hover();
    await message.locator('[data-testid="message-react"]').click();
    await until(() => inWindow(page, '[data-testid="react-choice"]')).toEqual(Array(6).fill(true));
    await page.keyboard.press('Escape');

    await byTestId(page, 'notify-level').click();
    await until(() => inWindow(page, '[data-testid="notify-level-panel"]')).toEqual([true]);
    await page.keyboard.press('Escape');

    await page.locator('#composer-emoji-button').click();
    await until(() => inWindow(page, '[data-testid="emoji-picker"]')).toEqual([true]);
  });

  it('shows the whole of a long topic when it is pressed, one line again when pressed again', async () => {
    const ada = await suite.api.guest(unique('ada'));
    const topic = `Everything about ${'the long and winding road '.repeat(6)}end`;
    const { status, body } = await suite.api.call('/rooms', {
      json: { name: `e2e ${crypto.randomUUID().slice(0, 8)}`, topic },
      token: ada.token,
    });
    expect(status).toBe(201);
    const room = body.room as { id: string };
    const page = await browsers.open({ as: ada, path: `/c/${room.id}`, viewport: phone });
    await conversationReady(page, room.id);
    const line = byTestId(page, 'topic');
    const cut = () => line.evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(await cut()).toBe(true);
    await line.focus();
    await page.keyboard.press('Enter');
    expect(await line.getAttribute('aria-expanded')).toBe('true');
    await until(cut).toBe(false);
    expect(await line.textContent()).toBe(topic);
    await line.click();
    await until(cut).toBe(true);
  });

  it('wraps a name of one long word: no sideways scroll, the profile card whole', async () => {
    const ada = await suite.api.guest(unique('ada'));
    const bo = await suite.api.guest(unique('bo'));
    const long = 'M'.repeat(48);
    const set = await suite.api.call('/me/profile', {
      method: 'PATCH',
      json: { displayName: long },
      token: bo.token,
    });
    expect(set.status).toBe(200);
    const room = await roomWith(suite.api, ada, bo);
    await sendOverSocket(suite.api, room.id, bo, ['hello']);
    const page = await browsers.open({ as: ada, path: `/c/${room.id}`, viewport: phone });
    await conversationReady(page, room.id);
    await until(() => messageTexts(page)).toEqual(['hello']);
    // Its join notice and its messages wrap the name: the list never scrolls sideways.
    const list = byTestId(page, 'message-list');
    expect(await list.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);

    await page.locator(`[data-testid="message-author"][data-user-id="${bo.id}"]`).first().click();
    const card = byTestId(page, 'profile-card');
    await card.waitFor();
    await byTestId(page, 'profile-block').waitFor();
    // Every part of the card, Block and Message included, inside the dialog.
    const outside = await card.evaluate((dialog) => {
      const box = dialog.getBoundingClientRect();
      return Array.from(dialog.querySelectorAll('h2, dl, button'))
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.left < box.left - 1 || r.right > box.right + 1;
        })
        .map((el) => el.getAttribute('data-testid') ?? el.tagName);
    });
    expect(outside).toEqual([]);
  });
});

describe('a refused message', () => {
  it('says why in words for people, without the field name the protocol puts first', async () => {
    const { page } = await inOwnRoom();
    await byTestId(page, 'composer-input').fill(`a${'\u0301'.repeat(9)} smear`);
    await byTestId(page, 'composer-input').press('Enter');
    const status = page.locator('[data-testid="message"][data-status="failed"] [role="alert"]');
    await until(() => status.textContent()).toBe(
      'Not sent: At most 8 combining marks on one letter Retry Discard',
    );
  });
});
