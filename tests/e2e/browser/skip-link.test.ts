/**
 * "Skip to conversation" in real Chromium (WCAG 2.4.1): the first Tab stop, seen once it has
 * focus, and Enter on it puts the keyboard in the composer, past the sidebar.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from './chromium';
import { browserSuite } from './suite';
import { byTestId, contrastOf, conversationReady } from './ui';

const suite = browserSuite();

const focused = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? 'body');

describe('skip to conversation', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`is the first Tab stop, seen when focused, and goes to the composer (${colorScheme})`, async () => {
      const { ada, room } = await suite.twoGuestsInRoom();
      const page = await suite.browsers.open({ as: ada, path: `/c/${room.id}`, colorScheme });
      await conversationReady(page, room.id);
      const link = byTestId(page, 'skip-link');
      const inView = async () => {
        const box = await link.boundingBox();
        return box !== null && box.y >= 0 && box.x >= 0 && box.width > 1 && box.height > 1;
      };
      expect(await inView()).toBe(false);

      // First in the tab order: Shift+Tab from it leaves the page (the composer has focus as
      // the conversation opens, so Tab from the top cannot be pressed here).
      await link.focus();
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).toBe('body');
      await link.focus();
      expect(await focused(page)).toBe('skip-link');
      expect(await link.textContent()).toBe('Skip to conversation');
      expect(await inView()).toBe(true);
      expect(await contrastOf(link)).toBeGreaterThanOrEqual(4.5);
      await page.keyboard.press('Enter');
      expect(await focused(page)).toBe('composer-input');
    });
  }
});
