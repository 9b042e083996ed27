/**
 * Real Chromium: Markdown in messages becomes formatting the other person sees, built as
 * elements (never HTML), and an unsent draft survives a reload.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, unique } from './suite';
import { attr, byTestId, conversationReady, messageTexts, roomWith, send, until } from './ui';

const suite = browserSuite();
const { browsers } = suite;

describe('formatting', () => {
  it('shows bold, italic, strikethrough, code, a code block, a quote, a list and links as such', async () => {
    const { a, b } = await suite.twoInRoom();

    await send(
      a,
      '**bold** _it_ ~~old~~ `x<y` see www.example.org and [docs](javascript:alert(1))',
    );
    await send(a, '```js\nconst a = "<b>";\n```');
    await send(a, '> quoted\n\n- one\n- two');
    await until(() => b.locator('[data-testid="message-text"]').count()).toBe(3);

    const first = b.locator('[data-testid="message-text"]').nth(0);
    expect(await first.locator('strong').allTextContents()).toEqual(['bold']);
    expect(await first.locator('em').allTextContents()).toEqual(['it']);
    expect(await first.locator('del').allTextContents()).toEqual(['old']);
    expect(await first.locator('code').allTextContents()).toEqual(['x<y']);
    // Only the safe address became a link; the javascript: one is its text alone.
    expect(await attr(first.locator('a'), 'href')).toEqual(['https://www.example.org/']);
    expect(await first.textContent()).toContain('and docs');

    const block = b.locator('[data-testid="code-block"]');
    expect(await block.locator('pre code').textContent()).toBe('const a = "<b>";');
    expect(await block.locator('.md-lang').textContent()).toBe('js');
    expect(await block.getByRole('button', { name: 'Copy code' }).count()).toBe(1);
    expect(await block.locator('pre').evaluate((el) => getComputedStyle(el).overflowX)).toBe(
      'auto',
    );

    const third = b.locator('[data-testid="message-text"]').nth(2);
    expect(await third.locator('blockquote').textContent()).toBe('quoted');
    expect(await third.locator('ul li').allTextContents()).toEqual(['one', 'two']);
    // Nothing in any message became markup of its own.
    expect(await b.locator('#app b, #app script, #app img').count()).toBe(0);
    expect(await messageTexts(b)).toHaveLength(3);
  });

  it('shows a message of only emoji large, and emoji among words at the text’s size', async () => {
    const { a, b } = await suite.twoInRoom();
    await send(a, '🎉 👍🏽');
    await send(a, 'nice 🎉');
    await until(() => b.locator('[data-testid="message-text"]').count()).toBe(2);
    const size = (i: number) =>
      b
        .locator('[data-testid="message"] .message-body')
        .nth(i)
        .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(await size(0)).toBeGreaterThanOrEqual(2 * (await size(1)));
  });

  it('cuts a very long message to a dozen lines until "Show more", and only a long one', async () => {
    const { a, b } = await suite.twoInRoom();
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n');
    await send(a, lines);
    await send(a, 'short and whole');
    await until(() => b.locator('[data-testid="message-text"]').count()).toBe(2);
    const long = b.locator('[data-testid="message"]').nth(0);
    const short = b.locator('[data-testid="message"]').nth(1);
    expect(await short.locator('[data-testid="show-more"]').count()).toBe(0);
    const more = long.locator('[data-testid="show-more"]');
    const body = long.locator('.message-body');
    const cut = () => body.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await cut()).toBe(true);
    // All of it is in the page (a screen reader reads it whole); the button names what it does.
    expect(await body.textContent()).toContain('line 40');
    await long.focus();
    await more.focus();
    await b.keyboard.press('Enter');
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    expect(await more.textContent()).toBe('Show less');
    expect(await cut()).toBe(false);
  });

  it('shows the whole of a cut message when Tab reaches a link in its hidden part', async () => {
    const { a, b } = await suite.twoInRoom();
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    await send(a, ['see www.example.org', ...lines, 'end www.example.com'].join('\n'));
    await until(() => b.locator('[data-testid="message-text"]').count()).toBe(1);
    const long = b.locator('[data-testid="message"]').nth(0);
    const body = long.locator('.message-body');
    const cut = () => body.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
    const links = body.locator('a');
    // A link in the part shown keeps the cut; Tab on to the hidden one undoes it.
    await links.nth(0).focus();
    expect(await cut()).toBe(true);
    await b.keyboard.press('Tab');
    expect(await links.nth(1).evaluate((el) => el === document.activeElement)).toBe(true);
    await until(cut).toBe(false);
    expect(await long.locator('[data-testid="show-more"]').getAttribute('aria-expanded')).toBe(
      'true',
    );
  });

  it('keeps an unsent draft per chat across a reload, and drops it once sent', async () => {
    const ada = await suite.api.guest(unique('ada'));
    const room = await roomWith(suite.api, ada);
    const page = await browsers.open({ as: ada, path: `/c/${room.id}` });
    await conversationReady(page, room.id);
    const input = byTestId(page, 'composer-input');
    await input.fill('half a thought');
    await page.reload();
    await conversationReady(page, room.id);
    await until(() => input.inputValue()).toBe('half a thought');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    await input.press('Enter');
    await until(() => messageTexts(page)).toEqual(['half a thought\nsecond line']);
    await page.reload();
    await conversationReady(page, room.id);
    expect(await input.inputValue()).toBe('');
  });
});
