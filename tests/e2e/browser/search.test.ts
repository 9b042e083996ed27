/**
 * Real Chromium against `wrangler dev`: search from the keyboard, find a message by a word,
 * see the word marked, open the result and land in its chat at that message.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, unique } from './suite';
import {
  byTestId,
  conversationReady,
  historyReaches,
  messageAt,
  roomWith,
  sendOverSocket,
  until,
} from './ui';

const suite = browserSuite();
const { browsers } = suite;

describe('search', () => {
  it('finds a message by a word, marks the word, and opens its chat at the message', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const room = await roomWith(suite.api, bo, ada);
    const word = unique('lantern');
    const texts = ['good morning', `the ${word} is <b>lit</b>`, 'see you later'];
    await sendOverSocket(suite.api, room.id, bo, texts);
    await historyReaches(suite.api, room.id, bo.token, 3);

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
    await page.locator('body').press('/');
    await until(() => box.evaluate((el) => el === document.activeElement)).toBe(true);

    await box.fill(word.toUpperCase());
    const result = byTestId(page, 'search-result');
    await until(() => result.count()).toBe(1);
    expect(await result.getAttribute('data-room-id')).toBe(room.id);
    expect(await result.getAttribute('data-seq')).toBe('2');
    expect(await result.locator('.search-room').textContent()).toBe(`#${room.name}`);
    expect(await result.locator('.search-author').textContent()).toBe(bo.name);
    expect(await result.locator('mark').allTextContents()).toEqual([word]);
    // The text is text: the markup in it is shown, not made into elements.
    expect(await result.locator('.search-snippet').textContent()).toBe(texts[1]);
    expect(await result.locator('.search-snippet b').count()).toBe(0);

    await result.click();
    await page.waitForURL((url) => url.pathname === `/c/${encodeURIComponent(room.id)}`);
    await conversationReady(page, room.id);
    await until(() => byTestId(page, 'search-dialog').count()).toBe(0);
    const found = messageAt(page, 2);
    await until(() => found.evaluate((el) => el.classList.contains('search-found'))).toBe(true);
    expect(await found.isVisible()).toBe(true);
  });
});
