/**
 * Real Chromium: `@` offers the chat's members from the keyboard, the mention is sent by id,
 * shows as a chip with the current name, marks the message for the person mentioned, and
 * their chat list and tab title say someone mentioned them.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite } from './suite';
import { attr, byTestId, conversationReady, messageAt, until } from './ui';

const suite = browserSuite();
const { browsers } = suite;

describe('mentions', () => {
  it('autocompletes a member, mentions them by id, and tells them', async () => {
    const { ada, bo, room } = await suite.twoGuestsInRoom();
    const [a, b] = await Promise.all([
      browsers.open({ as: ada, path: `/c/${room.id}` }),
      browsers.open({ as: bo, path: '/c/global' }),
    ]);
    await Promise.all([conversationReady(a, room.id), conversationReady(b, 'global')]);

    const input = byTestId(a, 'composer-input');
    await input.pressSequentially(`lunch? @${bo.name.slice(0, 4)}`);
    const option = a.locator('[data-testid="mention-option"]');
    await until(() => option.allTextContents()).toEqual([`@${bo.name}`]);
    expect(await input.getAttribute('aria-activedescendant')).toBe('mention-option-0');
    await input.press('Enter'); // picks, does not send
    await until(() => input.inputValue()).toBe(`lunch? @${bo.name} `);
    await input.press('Enter');
    await until(() => a.locator('[data-testid="message"]').count()).toBe(1);

    // Stored by id, shown by name.
    await until(async () => {
      const page = await suite.api.call(`/rooms/${room.id}/messages`, { token: ada.token });
      return (page.body.messages as { text: string }[])[0]?.text;
    }).toBe(`lunch? <@${bo.id}>`);
    const chip = messageAt(a, 2).locator('[data-testid="mention"]');
    expect(await chip.textContent()).toBe(`@${bo.name}`);

    // Bo, elsewhere: the room's badge says he was mentioned, and so does the tab title.
    const item = b.locator(`[data-testid="chat-item"][data-room-id="${room.id}"]`);
    await until(() => item.locator('[data-testid="mention-badge"]').count()).toBe(1);
    expect(await attr(item.locator('[data-testid="unread-badge"]'), 'aria-label')).toEqual([
      '1 unread, 1 mention',
    ]);
    await until(() => b.title()).toMatch(/^\(@ \d+\) Parlor$/);
    await item.click();
    await conversationReady(b, room.id);
    const mine = messageAt(b, 2);
    expect(await mine.getAttribute('class')).toContain('mentions-me');
    expect(await mine.locator('.mention-me').textContent()).toBe(`@${bo.name}`);
    await until(() => item.locator('[data-testid="mention-badge"]').count()).toBe(0);
  });

  it('opens the list for an @ typed while the list code is still loading', async () => {
    const { ada, bo, room } = await suite.twoGuestsInRoom();
    const a = await browsers.open({ as: ada, path: '/' });
    // The lists' chunk (ComposerLists.tsx) is held until the `@name` has been typed.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    await a.route(/\/assets\/ComposerLists-[^/]+\.js$/, async (route) => {
      asked = true;
      await held;
      await route.continue();
    });
    await a.locator(`[data-testid="chat-item"][data-room-id="${room.id}"]`).click();
    await conversationReady(a, room.id);

    const input = byTestId(a, 'composer-input');
    await input.pressSequentially(`@${bo.name.slice(0, 4)}`);
    await until(() => asked).toBe(true);
    const option = a.locator('[data-testid="mention-option"]');
    expect(await option.count()).toBe(0);
    release();
    await until(() => option.allTextContents()).toEqual([`@${bo.name}`]);
    await input.press('Enter'); // picks, does not send
    await until(() => input.inputValue()).toBe(`@${bo.name} `);
  });
});
