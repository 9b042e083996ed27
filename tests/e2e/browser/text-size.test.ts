/**
 * Text at 200% in real Chromium (WCAG 1.4.4) in a 1280×800 window: the layout switches on
 * the space the text needs, as it does on the window's width, so the conversation keeps a
 * readable width and shows its messages, and the composer stays clear of the header.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from './chromium';
import { browserSuite } from './suite';
import { byTestId, conversationReady, sendOverSocket, until } from './ui';

const suite = browserSuite();

/**
 * The two ways a person doubles the text: a style of their own (as a user stylesheet or an
 * extension sets it, from the start), or the browser's setting.
 */
const doubleText: Record<string, (page: Page) => Promise<void>> = {
  'a style doubling the root font size': async (page) => {
    await page.addInitScript(() => {
      // Before the app's first layout, as a user stylesheet would be.
      new MutationObserver((_, observer) => {
        if (!document.documentElement) return;
        document.documentElement.style.fontSize = '200%';
        observer.disconnect();
      }).observe(document, { childList: true });
    });
    await page.reload();
  },
  'Chromium’s default font size at 32px': async (page) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
    await page.reload();
  },
};

/** Where the parts of the open conversation are, in CSS pixels, and the root font size. */
const layout = (page: Page) =>
  page.evaluate(() => {
    const box = (el: Element) => el.getBoundingClientRect().toJSON() as DOMRect;
    const one = (selector: string) => box(document.querySelector(selector)!);
    return {
      root: parseFloat(getComputedStyle(document.documentElement).fontSize),
      conversation: one('[data-testid="conversation"]'),
      list: one('[data-testid="message-list"]'),
      composer: one('[data-testid="composer-input"]'),
      headerButtons: Array.from(document.querySelectorAll('.conversation-header button'), box),
      messages: Array.from(document.querySelectorAll('[data-testid="message"]'), box),
    };
  });

describe('text at 200%', () => {
  for (const [how, apply] of Object.entries(doubleText)) {
    it(`keeps the conversation readable, its messages and header in sight, with ${how}`, async () => {
      const { ada, bo, room } = await suite.twoGuestsInRoom();
      await sendOverSocket(suite.api, room.id, bo, ['one', 'two', 'three']);
      const page = await suite.browsers.open({ as: ada, path: `/c/${room.id}` });
      await apply(page);
      await conversationReady(page, room.id);
      await until(() => byTestId(page, 'message').count()).toBe(3);
      await until(async () => (await layout(page)).root).toBeGreaterThanOrEqual(30);

      const seen = await layout(page);
      // The window is 40 of these text sizes wide: the conversation takes all of it (as at
      // a 640px window), not 8 between two panels grown with the text.
      expect(seen.conversation.width).toBeGreaterThanOrEqual(35 * seen.root);
      expect(seen.composer.width).toBeGreaterThanOrEqual(15 * seen.root);
      await until(async () => {
        const { list, messages } = await layout(page);
        return messages.map((m) => m.top >= list.top - 1 && m.bottom <= list.bottom + 1);
      }).toEqual([true, true, true]);
      // The header's buttons (people, notify, leave) are above the composer, not under it.
      expect(seen.headerButtons.length).toBeGreaterThan(0);
      for (const button of seen.headerButtons) {
        expect(button.bottom).toBeLessThanOrEqual(seen.composer.top);
      }
    });
  }
});
