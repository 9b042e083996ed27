/**
 * Real Chromium: a room's owner pins a message from its actions; a member sees it marked
 * live and after a reload, finds it in the pinned list and goes to it from there; an unpin
 * clears both. A member is offered no Pin.
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

const suite = browserSuite({ MESSAGE_BURST: '1000', MESSAGE_RATE_PER_SECOND: '1000' });
const { browsers } = suite;

describe('pinned messages', () => {
  it('pins from the message, marks it for everyone, lists it, and unpins from the list', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const room = await roomWith(suite.api, ada, bo);
    const later = Array.from({ length: 60 }, (_, i) => `later ${i + 1}`);
    // Bo's join is seq 1: the rules are seq 2, sixty messages after them.
    await sendOverSocket(suite.api, room.id, ada, ['House rules: be kind', ...later]);
    await historyReaches(suite.api, room.id, ada.token, 62);

    const [owner, member] = await Promise.all([
      browsers.open({ as: ada, path: `/c/${room.id}/m/2` }),
      browsers.open({ as: bo, path: `/c/${room.id}` }),
    ]);
    await Promise.all([conversationReady(owner, room.id), conversationReady(member, room.id)]);
    expect(await byTestId(member, 'message-pin').count()).toBe(0);

    await until(() => messageAt(owner, 2).count()).toBe(1);
    await messageAt(owner, 2).hover();
    const pin = messageAt(owner, 2).locator('[data-testid="message-pin"]');
    expect(await pin.getAttribute('aria-label')).toBe('Pin message');
    await pin.click();
    await until(() => messageAt(owner, 2).locator('[data-testid="pinned-mark"]').count()).toBe(1);
    // The member sees the notice live (the message itself is further back than their page).
    const notice = member.locator('[data-testid="notice"][data-kind="pinned"]');
    await until(() => notice.count()).toBe(1);
    expect(await notice.locator('[data-testid="notice-person"]').textContent()).toBe(ada.name);
    expect(await notice.textContent()).toContain('pinned a message');

    await byTestId(member, 'pins-open').click();
    const listed = byTestId(member, 'pin');
    await until(() => listed.count()).toBe(1);
    expect(await listed.textContent()).toContain('House rules: be kind');
    expect(await byTestId(member, 'pin-unpin').count()).toBe(0);
    await byTestId(member, 'pin-show').click();
    await until(() => byTestId(member, 'pins-dialog').count()).toBe(0);
    await until(() =>
      messageAt(member, 2).evaluate((el) => el.classList.contains('highlighted')),
    ).toBe(true);
    expect(await messageAt(member, 2).locator('[data-testid="pinned-mark"]').count()).toBe(1);

    // From history too, after a reload.
    await member.reload();
    await conversationReady(member, room.id);
    await byTestId(member, 'pins-open').click();
    await until(() => byTestId(member, 'pin').count()).toBe(1);
    await member.keyboard.press('Escape');

    // The owner unpins from the list; the member's open list and the mark follow.
    await byTestId(member, 'pins-open').click();
    await until(() => byTestId(member, 'pin').count()).toBe(1);
    await byTestId(owner, 'pins-open').click();
    await byTestId(owner, 'pin-unpin').click();
    await until(() => byTestId(owner, 'pins-empty').count()).toBe(1);
    await until(() => byTestId(member, 'pins-empty').count()).toBe(1);
    await member.keyboard.press('Escape');
    await until(() => messageAt(member, 2).locator('[data-testid="pinned-mark"]').count()).toBe(0);
  });

  it('moves focus to the next Unpin, then the previous, then Close as pins leave the open list', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const room = await roomWith(suite.api, ada, bo);
    // Bo's join is seq 1: the messages are seqs 2 to 4.
    await sendOverSocket(suite.api, room.id, ada, ['one', 'two', 'three']);
    await historyReaches(suite.api, room.id, ada.token, 4);
    const page = await browsers.open({ as: ada, path: `/c/${room.id}` });
    await conversationReady(page, room.id);
    for (const seq of [2, 3, 4]) {
      await messageAt(page, seq).hover();
      await messageAt(page, seq).locator('[data-testid="message-pin"]').click();
      await until(() => messageAt(page, seq).locator('[data-testid="pinned-mark"]').count()).toBe(
        1,
      );
    }
    await byTestId(page, 'pins-open').click();
    const listed = () =>
      page
        .locator('[data-testid="pin"]')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    // The latest pin first.
    await until(listed).toEqual([4, 3, 2]);
    const focused = () =>
      page.evaluate(() => {
        const at = document.activeElement;
        const pin = at?.closest('[data-testid="pin"]')?.getAttribute('data-seq');
        return pin
          ? `${at?.getAttribute('data-testid')} ${pin}`
          : (at?.getAttribute('aria-label') ?? at?.tagName);
      });

    await page.locator('[data-testid="pin"][data-seq="3"] [data-testid="pin-unpin"]').focus();
    await page.keyboard.press('Enter');
    await until(listed).toEqual([4, 2]);
    await until(focused).toBe('pin-unpin 2');
    await page.keyboard.press('Enter');
    await until(listed).toEqual([4]);
    await until(focused).toBe('pin-unpin 4');
    await page.keyboard.press('Enter');
    await until(() => byTestId(page, 'pins-empty').count()).toBe(1);
    await until(focused).toBe('Close');
    expect(await byTestId(page, 'pins-dialog').count()).toBe(1);
  });
});
