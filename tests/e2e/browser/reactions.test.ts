/** Real Chromium: two people react to a message and each sees the other's, live and after a reload. */
import { describe, expect, it } from 'vitest';
import type { Page } from './chromium';
import { browserSuite } from './suite';
import { attr, byTestId, conversationReady, messageAt, messageSeqs, send, until } from './ui';

const suite = browserSuite();

const chips = (page: Page) =>
  page
    .locator('[data-testid="reaction"]')
    .evaluateAll((els) =>
      els.map(
        (el) =>
          `${el.getAttribute('data-emoji')} ${el.querySelector('.count')?.textContent} ${el.getAttribute('aria-pressed')}`,
      ),
    );

describe('reactions', () => {
  it('adds, counts and toggles reactions for both people, by mouse and keyboard', async () => {
    const { bo, room, a, b } = await suite.twoInRoom();
    await send(a, 'Lunch at noon?');

    // Bo reacts through the picker.
    await messageAt(b, 2).hover();
    await messageAt(b, 2).locator('[data-testid="message-react"]').click();
    await b.locator('[data-testid="react-choice"][aria-label="React with 👍"]').click();
    await until(() => chips(a)).toEqual(['👍 1 false']);
    await until(() => chips(b)).toEqual(['👍 1 true']);
    const label = await attr(a.locator('[data-testid="reaction"]'), 'aria-label');
    expect(label[0]).toContain(bo.name);

    // Ada adds hers from the keyboard on the existing chip; then takes it back with a click.
    await a.locator('[data-testid="reaction"]').focus();
    await a.keyboard.press('Enter');
    await until(() => chips(b)).toEqual(['👍 2 true']);
    await a.locator('[data-testid="reaction"]').click();
    await until(() => chips(b)).toEqual(['👍 1 true']);
    await until(() => chips(a)).toEqual(['👍 1 false']);

    // From history after a reload: the same state.
    await b.reload();
    await conversationReady(b, room.id);
    await until(() => chips(b)).toEqual(['👍 1 true']);
    expect(await byTestId(b, 'reactions').getAttribute('aria-label')).toBe('Reactions');
  });

  it('moves focus to the next pill, then the message, when Enter takes away a reaction only you made', async () => {
    const { a } = await suite.twoInRoom();
    await send(a, 'Pizza or curry?');
    const seq = (await messageSeqs(a)).at(-1)!;
    for (const emoji of ['👍', '❤️']) {
      await messageAt(a, seq).hover();
      await messageAt(a, seq).locator('[data-testid="message-react"]').click();
      await a.locator(`[data-testid="react-choice"][aria-label="React with ${emoji}"]`).click();
    }
    await until(() => chips(a)).toEqual(['👍 1 true', '❤️ 1 true']);
    const focused = () =>
      a.evaluate(() => {
        const at = document.activeElement;
        return at?.getAttribute('data-emoji') ?? at?.id ?? '';
      });

    await a.locator('[data-testid="reaction"][data-emoji="👍"]').focus();
    await a.keyboard.press('Enter');
    await until(() => chips(a)).toEqual(['❤️ 1 true']);
    await until(focused).toBe('❤️');
    await a.keyboard.press('Enter');
    await until(() => chips(a)).toEqual([]);
    await until(focused).toBe(`m-${seq}`);
  });
});
