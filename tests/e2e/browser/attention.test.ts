/**
 * Real Chromium, two people: notification levels and do not disturb decide what rings
 * (observed through the page's real AudioContext), the full emoji picker and `:ta` completion,
 * the "N new messages" pill and "Jump to first unread", and mentions in the edit box.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2eUser } from '../client';
import { browserSuite, unique } from './suite';
import {
  byTestId,
  conversationReady,
  historyReaches,
  messageAt,
  roomWith,
  send,
  sendOverSocket,
  until,
} from './ui';

// Long rooms are set up quickly: the per-user rate limits are lifted for this server.
const suite = browserSuite({
  MESSAGE_BURST: '1000',
  MESSAGE_RATE_PER_SECOND: '1000',
  MESSAGE_BURST_ALL_CHATS: '1000',
  MESSAGE_RATE_ALL_CHATS_PER_SECOND: '1000',
});
const { browsers } = suite;

const people = () => Promise.all([suite.api.guest(unique('ada')), suite.api.guest(unique('bo'))]);

/**
 * Counts the app's notification sounds: every beep makes one gain node on the page's real
 * AudioContext (src/web/notifications/beep.ts), counted as it is made. (Desktop
 * notifications cannot be observed here: headless Chromium reports their permission as
 * "denied" even when granted, so the app rightly never makes one.)
 */
async function countBeeps(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { beeps: number };
    w.beeps = 0;
    const make = AudioContext.prototype.createGain;
    AudioContext.prototype.createGain = function (this: AudioContext) {
      w.beeps += 1;
      return make.call(this);
    };
  });
  await page.reload();
}

const beeps = (page: Page) => page.evaluate(() => (window as unknown as { beeps: number }).beeps);

const unreadOf = (page: Page, roomId: string) =>
  page
    .locator(`[data-testid="chat-item"][data-room-id="${roomId}"] [data-testid="unread-badge"]`)
    .textContent()
    .catch(() => null);

async function say(user: E2eUser, roomId: string, text: string) {
  return (await sendOverSocket(suite.api, roomId, user, [text]))[0]!;
}

describe('attention', () => {
  it('notifies for mentions only by default in a room, all after picking "All", nothing during do not disturb', async () => {
    const [ada, bo] = await people();
    const room = await roomWith(suite.api, ada, bo);
    const b = await browsers.open({ as: bo, path: '/c/global' });
    await countBeeps(b);
    await conversationReady(b, 'global');
    await byTestId(b, 'settings-button').click();
    await byTestId(b, 'sound-toggle').check(); // a click: audio may start; it beeps once
    await until(() => beeps(b)).toBe(1);
    await b.keyboard.press('Escape');

    // A plain message reaches Bo's chat list (the badge, quiet) but does not notify.
    await say(ada, room.id, 'plain words');
    await until(() => unreadOf(b, room.id)).toBe('1');
    expect(await byTestId(b, 'unread-badge').first().getAttribute('class')).toContain('quiet');
    expect(await beeps(b)).toBe(1);
    // A mention does.
    await say(ada, room.id, `over here <@${bo.id}>`);
    await until(() => beeps(b)).toBe(2);
    await until(() => unreadOf(b, room.id)).toBe('@ 2');
    // Read out to a screen reader as well, though another chat is open.
    await until(() => byTestId(b, 'live-announcer').textContent()).toBe(
      `${ada.name} in ${room.name}, mentioned you: over here @${bo.name}`,
    );

    // Bo sets the room to all messages from its Notifications menu, then looks elsewhere.
    await b.locator(`[data-testid="chat-item"][data-room-id="${room.id}"]`).click();
    await conversationReady(b, room.id);
    await byTestId(b, 'notify-level').click();
    await byTestId(b, 'notify-all').check();
    await until(() => byTestId(b, 'notify-level').getAttribute('aria-label')).toBe(
      'Notify (notifications for this chat: All messages)',
    );
    await b.locator('[data-testid="chat-item"][data-room-id="global"]').click();
    await conversationReady(b, 'global');
    await say(ada, room.id, 'now everything rings');
    await until(() => beeps(b)).toBe(3);

    // Do not disturb for an hour: shown in the sidebar, and nothing notifies, mentions included.
    await byTestId(b, 'dnd-button').click();
    await byTestId(b, 'dnd-hour').click();
    await until(() => byTestId(b, 'dnd').getAttribute('data-on')).toBe('true');
    expect(await byTestId(b, 'dnd-button').textContent()).toContain('Do not disturb until');
    await say(ada, room.id, `quiet please <@${bo.id}>`);
    await until(() => unreadOf(b, room.id)).toBe('@ 2');
    expect(await beeps(b)).toBe(3);
  });

  it('finds an emoji by search in the full picker, from the keyboard, and the other person sees the reaction', async () => {
    const [ada, bo] = await people();
    const room = await roomWith(suite.api, ada, bo);
    const seq = await say(bo, room.id, 'we shipped it');
    await historyReaches(suite.api, room.id, ada.token, seq);
    const [a, b] = await Promise.all([
      browsers.open({ as: ada, path: `/c/${room.id}` }),
      browsers.open({ as: bo, path: `/c/${room.id}` }),
    ]);
    await Promise.all([conversationReady(a, room.id), conversationReady(b, room.id)]);

    await messageAt(a, seq).hover();
    await messageAt(a, seq).locator('[data-testid="message-react"]').click();
    await messageAt(a, seq).locator('[data-testid="react-more"]').click();
    const search = byTestId(a, 'emoji-search');
    await until(() => a.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'emoji-search',
    );
    await search.fill('tada');
    await until(() =>
      a.locator('[data-testid="emoji-option"]').first().getAttribute('data-emoji'),
    ).toBe('🎉');
    await search.press('ArrowDown');
    await a.keyboard.press('Enter');
    const theirs = messageAt(b, seq).locator('[data-testid="reaction"][data-emoji="🎉"]');
    await until(() => theirs.count()).toBe(1);
    expect(await theirs.getAttribute('aria-label')).toContain(ada.name);
    expect(await byTestId(a, 'emoji-picker').count()).toBe(0);

    // Recently used, kept in this browser: first in the picker next time.
    await messageAt(a, seq).hover();
    await messageAt(a, seq).locator('[data-testid="message-react"]').click();
    await messageAt(a, seq).locator('[data-testid="react-more"]').click();
    const recent = a.locator('section[aria-label="Recently used"] [data-testid="emoji-option"]');
    await until(() => recent.first().getAttribute('data-emoji')).toBe('🎉');
    await a.keyboard.press('Escape');
    await until(() => byTestId(a, 'emoji-picker').count()).toBe(0);
  });

  it('closes the composer’s emoji picker when Tab leaves it; Escape in it goes back to its button', async () => {
    const ada = await suite.api.guest(unique('ada'));
    const a = await browsers.open({ as: ada });
    await conversationReady(a, 'global');
    const focused = () =>
      a.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? 'body');
    const picker = byTestId(a, 'emoji-picker');

    await byTestId(a, 'composer-emoji').click();
    await until(focused).toBe('emoji-search');
    await a.locator('[data-testid="emoji-option"]').first().waitFor();
    await a.keyboard.press('Tab');
    expect(await focused()).toBe('emoji-option');
    // Tab on from the grid: the picker closes behind the focus, which goes on past it.
    await a.keyboard.press('Tab');
    await until(() => picker.count()).toBe(0);
    expect(await byTestId(a, 'composer-emoji').getAttribute('aria-expanded')).toBe('false');
    expect(await focused()).not.toBe('body');

    await byTestId(a, 'composer-emoji').click();
    await until(focused).toBe('emoji-search');
    await a.keyboard.press('Tab');
    await a.keyboard.press('Escape');
    await until(() => picker.count()).toBe(0);
    expect(await focused()).toBe('composer-emoji');
  });

  it('completes :ta in the composer and shows a :shortcode: as its emoji', async () => {
    const [ada, bo] = await people();
    const room = await roomWith(suite.api, ada, bo);
    const a = await browsers.open({ as: ada, path: `/c/${room.id}` });
    await conversationReady(a, room.id);
    const input = byTestId(a, 'composer-input');
    await input.pressSequentially('yay :tad');
    const option = a.locator('[data-testid="emoji-completion"]');
    await until(() => option.first().textContent()).toBe('🎉 :tada:');
    await input.press('Enter'); // picks, does not send
    await until(() => input.inputValue()).toBe('yay 🎉 ');
    await input.pressSequentially('and :rocket: too');
    await send(a, await input.inputValue());
    const text = a
      .locator('[data-testid="message"]')
      .last()
      .locator('[data-testid="message-text"]');
    await until(() => text.locator('[data-testid="shortcode-emoji"]').textContent()).toBe('🚀');
    expect(await text.textContent()).toBe('yay 🎉 and 🚀 too');
    // Stored as typed: the shortcode stays text in the message.
    await until(async () => {
      const page = await suite.api.call(`/rooms/${room.id}/messages`, { token: ada.token });
      return (page.body.messages as { text: string }[])[0]?.text;
    }).toBe('yay 🎉 and :rocket: too');
    // The chat list's preview reads as the message does.
    const row = a.locator(`[data-testid="chat-item"][data-room-id="${room.id}"]`);
    await until(() => row.textContent()).toContain('You: yay 🎉 and 🚀 too');
  });

  it('shows "N new messages" while scrolled up and "Jump to first unread" when it is above', async () => {
    const [ada, bo] = await people();
    const room = await roomWith(suite.api, ada, bo);
    const first = await sendOverSocket(
      suite.api,
      room.id,
      ada,
      Array.from({ length: 5 }, (_, i) => `read ${i + 1}`),
    );
    await suite.api.call(`/rooms/${room.id}/read`, {
      method: 'PUT',
      json: { seq: first.at(-1) },
      token: bo.token,
    });
    const unread = await sendOverSocket(
      suite.api,
      room.id,
      ada,
      Array.from({ length: 60 }, (_, i) => `unread ${i + 1}`),
    );
    await historyReaches(suite.api, room.id, bo.token, unread.at(-1)!);

    // From the chat list, as a person opens a chat: it opens with Bo's read cursor.
    const b = await browsers.open({ as: bo, path: '/c/global' });
    await conversationReady(b, 'global');
    await b.locator(`[data-testid="chat-item"][data-room-id="${room.id}"]`).click();
    await conversationReady(b, room.id);
    // The first unread (seq 6) is pages back: the chat opens at the bottom and offers it.
    await byTestId(b, 'jump-unread').click();
    const divider = byTestId(b, 'unread-divider');
    await until(() => divider.isVisible()).toBe(true);
    await until(() => messageAt(b, 6).isVisible()).toBe(true);
    await until(() => byTestId(b, 'jump-unread').count()).toBe(0);

    // Scrolled up, Bo is told how many arrived below instead of being moved.
    await say(ada, room.id, 'one more');
    await say(ada, room.id, 'and another');
    const pill = byTestId(b, 'new-messages-pill');
    await until(() => pill.textContent()).toBe('2 new messages ↓');
    await pill.click();
    await until(() => messageAt(b, 67).isVisible()).toBe(true);
    await until(() => pill.count()).toBe(0);
  });

  it('shows mentions as @name in the edit box and saves them as mentions', async () => {
    const [ada, bo] = await people();
    const room = await roomWith(suite.api, ada, bo);
    const seq = await say(ada, room.id, `lunch <@${bo.id}>?`);
    await historyReaches(suite.api, room.id, ada.token, seq);
    const a = await browsers.open({ as: ada, path: `/c/${room.id}` });
    await conversationReady(a, room.id);
    // Bo is not online: his name is looked up by id after the page renders (a fetch), and the
    // edit box takes the names known when it opens. Open it once the chip shows the name.
    const chip = messageAt(a, seq).locator('[data-testid="mention"]');
    await until(() => chip.textContent()).toBe(`@${bo.name}`);
    await messageAt(a, seq).hover();
    await messageAt(a, seq).locator('[data-testid="message-edit"]').click();
    const box = byTestId(a, 'edit-input');
    expect(await box.inputValue()).toBe(`lunch @${bo.name}?`);
    await box.press('End');
    await box.pressSequentially(' at noon');
    await box.press('Enter');
    await until(async () => {
      const page = await suite.api.call(`/rooms/${room.id}/messages`, { token: ada.token });
      return (page.body.messages as { text: string }[]).at(-1)?.text;
    }).toBe(`lunch <@${bo.id}>? at noon`);
    expect(await chip.textContent()).toBe(`@${bo.name}`);
  });
});
