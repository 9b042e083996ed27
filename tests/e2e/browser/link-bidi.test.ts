/**
 * A right-to-left embedding inside an auto-linked address, as the other person's Chromium
 * shows it: the link reads as where it goes, and the text after it stays after it. (An
 * override is not shown at all: src/web/conversation/markdown.ts, tests/unit/link-bidi.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { browserSuite } from './suite';
import { sendOverSocket, until } from './ui';

const suite = browserSuite();

describe('bidi controls in links', () => {
  it('shows a disguised address as it is and keeps the text after the link in place', async () => {
    const { ada, room, b } = await suite.twoInRoom();
    await sendOverSocket(suite.api, room.id, ada, [
      'see https://evil.example/\u202Bmoc.elgoog.www//:sptth ok',
    ]);
    const link = b.locator('[data-testid="message-text"] a');
    await until(() => link.count()).toBe(1);
    expect(await link.getAttribute('href')).toBe(
      'https://evil.example/%E2%80%ABmoc.elgoog.www//:sptth',
    );
    // What the reader sees: the embedding escaped, as in the address, never obeyed.
    expect(await link.innerText()).toBe('https://evil.example/%E2%80%ABmoc.elgoog.www//:sptth');
    const laidOut = await link.evaluate((a) => {
      const after = a.nextSibling!;
      const range = document.createRange();
      range.selectNodeContents(after);
      return {
        isolate: getComputedStyle(a).unicodeBidi,
        after: after.textContent,
        // " ok" starts right of the link (left to right), not before or inside it.
        afterLeft: range.getBoundingClientRect().left,
        linkRight: a.getBoundingClientRect().right,
      };
    });
    expect(laidOut.isolate).toBe('isolate');
    expect(laidOut.after).toBe(' ok');
    expect(laidOut.afterLeft).toBeGreaterThanOrEqual(laidOut.linkRight - 1);
  });
});
