/**
 * Real Chromium against `wrangler dev`: search from the keyboard, find a message by a word,
 * see the word marked, open the result and land in its chat at that message, loading the
 * older page it is on.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, unique } from './suite';
import type { Route } from 'playwright-core';
import {
  attr,
  byTestId,
  conversationReady,
  historyReaches,
  messageAt,
  messageSeqs,
  roomWith,
  send,
  sendOverSocket,
  until,
} from './ui';

// Raised so the test can put its message 60 messages back, behind the latest page.
const suite = browserSuite({ MESSAGE_BURST: '1000', MESSAGE_RATE_PER_SECOND: '1000' });
const { browsers } = suite;

describe('search', () => {
  it('finds a message by a word, marks the word, and opens its chat at the message', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const room = await roomWith(suite.api, bo, ada);
    const word = unique('lantern');
    const target = `the ${word} is <b>lit</b> :tada:`;
    // As the message shows it: the shortcode as its emoji.
    const shown = `the ${word} is <b>lit</b> 🎉`;
    const later = Array.from({ length: 60 }, (_, i) => `later message ${i + 1}`);
    await sendOverSocket(suite.api, room.id, bo, ['good morning', target, ...later]);
    // Ada's join notice took seq 1: message n is seq n + 1.
    await historyReaches(suite.api, room.id, bo.token, 63);

    const page = await browsers.open({ as: ada, path: '/c/global' });
    await conversationReady(page, 'global');
    // Ctrl+K opens search with the box focused; Escape closes it; `/` opens it again.
    await page.keyboard.press('Control+k');
    const box = byTestId(page, 'search-box');
    await box.waitFor();
    await until(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    // Labelled: the box is the search box by its accessible name.
    const named = page.getByRole('searchbox', { name: 'Search messages', exact: true });
    expect(await named.getAttribute('data-testid')).toBe('search-box');
    await page.keyboard.press('Escape');
    await until(() => box.count()).toBe(0);
    // `/` is the shortcut outside text fields (the composer, focused on open, types it).
    await byTestId(page, 'message-list').focus();
    await page.keyboard.press('/');
    await until(() => box.evaluate((el) => el === document.activeElement)).toBe(true);

    await box.fill(word.toUpperCase());
    const result = byTestId(page, 'search-result');
    await until(() => result.count()).toBe(1);
    expect(await result.getAttribute('data-room-id')).toBe(room.id);
    expect(await result.getAttribute('data-seq')).toBe('3');
    const hit = page.locator('li.search-hit', { has: result });
    expect(await hit.locator('.search-room').textContent()).toBe(`#${room.name}`);
    expect(await hit.locator('.search-author').textContent()).toBe(bo.name);
    expect(await result.locator('mark').allTextContents()).toEqual([word]);
    // The text is text: the markup in it is shown, not made into elements.
    await until(() => result.locator('.search-snippet').textContent()).toBe(shown);
    expect(await result.locator('.search-snippet b').count()).toBe(0);

    await result.click();
    await page.waitForURL((url) => url.pathname === `/c/${encodeURIComponent(room.id)}`);
    await conversationReady(page, room.id);
    await until(() => byTestId(page, 'search-dialog').count()).toBe(0);
    // Seq 2 is older than the page a chat opens with: the jump loads it and highlights it.
    const found = messageAt(page, 3);
    await until(() => found.count()).toBe(1);
    await until(() => found.evaluate((el) => el.classList.contains('highlighted'))).toBe(true);
    expect(await found.isVisible()).toBe(true);
    expect(await found.locator('[data-testid="message-text"]').textContent()).toBe(shown);
  });

  it('opens on Enter a result of the query in the box, never of the one it replaced', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const [older, newer] = [await roomWith(suite.api, bo, ada), await roomWith(suite.api, bo, ada)];
    const word = unique('mock');
    // `${word}s` finds the older room's message only; `${word}` finds both, the newer first.
    await sendOverSocket(suite.api, older.id, bo, [`the ${word}s are ready`]);
    await historyReaches(suite.api, older.id, bo.token, 2);
    await sendOverSocket(suite.api, newer.id, bo, [`one ${word} only`]);
    await historyReaches(suite.api, newer.id, bo.token, 2);

    const page = await browsers.open({ as: ada, path: '/c/global' });
    await conversationReady(page, 'global');
    await page.keyboard.press('Control+k');
    const box = byTestId(page, 'search-box');
    await box.fill(`${word}s`);
    const result = byTestId(page, 'search-result');
    await until(() => attr(result, 'data-room-id')).toEqual([older.id]);

    // The answer to the new query is held until Enter was pressed.
    const held: Route[] = [];
    const newQuery = (url: URL) =>
      url.pathname === '/api/search' && url.searchParams.get('q') === word;
    await page.route(newQuery, (route) => void held.push(route));
    await box.fill(word);
    await box.press('Enter');
    await until(() => held.length).toBe(1);
    // The old query's result is still listed, and Enter did not open it.
    expect(await attr(result, 'data-room-id')).toEqual([older.id]);
    expect(await byTestId(page, 'search-dialog').count()).toBe(1);
    for (const route of held) await route.continue();
    await page.unroute(newQuery);

    await page.waitForURL((url) => url.pathname === `/c/${encodeURIComponent(newer.id)}`);
    await conversationReady(page, newer.id);
    await until(() => byTestId(page, 'search-dialog').count()).toBe(0);
    await until(() =>
      messageAt(page, 2).evaluate((el) => el.classList.contains('highlighted')),
    ).toBe(true);
  });

  it('closes Search messages and Find people on the first Escape, with text in the box', async () => {
    const ada = await suite.api.guest(unique('ada'));
    const page = await browsers.open({ as: ada, path: '/c/global' });
    await conversationReady(page, 'global');
    const focused = () =>
      page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

    // Each dialog opened from the keyboard or a button, with text typed in its search box.
    const cases = [
      ['message-list', '/', 'search-box', 'search-dialog'],
      ['find-people-button', 'Enter', 'people-search', 'find-people'],
    ] as const;
    for (const [opener, key, box, dialog] of cases) {
      await byTestId(page, opener).focus();
      await page.keyboard.press(key);
      await byTestId(page, box).fill('ada');
      await until(focused).toBe(box);
      await page.keyboard.press('Escape');
      await until(() => byTestId(page, dialog).count()).toBe(0);
      await until(focused).toBe(opener);
    }
  });

  it('lists the messages that mention you, from one button, the mention shown by name', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const room = await roomWith(suite.api, bo, ada);
    await sendOverSocket(suite.api, room.id, bo, [`<@${ada.id}> look at this`, 'no mention']);
    await historyReaches(suite.api, room.id, bo.token, 3);

    const page = await browsers.open({ as: ada, path: '/c/global' });
    await conversationReady(page, 'global');
    await page.keyboard.press('Control+k');
    await byTestId(page, 'search-mentions-me').click();
    expect(await byTestId(page, 'search-box').inputValue()).toBe('mentions:me');
    const result = byTestId(page, 'search-result');
    await until(() => result.count()).toBe(1);
    expect(await result.getAttribute('data-seq')).toBe('2');
    expect(await result.locator('.search-snippet').textContent()).toBe(`@${ada.name} look at this`);
    expect((await result.locator('mark').allTextContents()).join('_')).toBe(ada.name);
  });

  it('gives focus back to the message when the message button that opened a dialog is hidden', async () => {
    const { a } = await suite.twoInRoom();
    await send(a, 'Where is the lantern?');
    const seq = (await messageSeqs(a)).at(-1)!;
    const focused = () =>
      a.evaluate(() => {
        const at = document.activeElement;
        return at?.id || at?.getAttribute('data-testid') || at?.tagName;
      });
    // The message's actions show only while it is hovered or has focus within, so the button
    // cannot take focus back once a dialog took it.
    const cases = [
      ['message-reply', 'Control+k', 'search-box'],
      ['message-link', 'Control+/', 'shortcuts'],
      ['message-react', 'Control+k', 'search-box'],
    ] as const;
    for (const [button, keys, opened] of cases) {
      await messageAt(a, seq).focus();
      await messageAt(a, seq).locator(`[data-testid="${button}"]`).focus();
      expect(await focused()).toBe(button);
      await a.keyboard.press(keys);
      await until(() => byTestId(a, opened).count()).toBe(1);
      await until(() => a.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
      await a.keyboard.press('Escape');
      await until(() => a.locator('dialog').count()).toBe(0);
      await until(focused).toBe(`m-${seq}`);
    }
  });
});
