/**
 * Moderation in Chromium against `wrangler dev` (issue 12): a moderator removes a message
 * and bans its author, and the other person sees both live; slow mode counts down in the
 * composer for a member and not for the owner.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite } from './suite';
import { byTestId, conversationReady, historyReaches, send, sendOverSocket, until } from './ui';

const suite = browserSuite();
const { browsers } = suite;

describe('moderation', () => {
  it('removes a message and bans its author; the author sees both live', async () => {
    const { bo: member, a: ownerPage, b: memberPage } = await suite.twoInRoom();
    await send(memberPage, 'buy cheap watches');
    const spam = ownerPage.locator('[data-testid="message"]', { hasText: 'buy cheap watches' });
    await spam.hover();
    await spam.locator('[data-testid="message-remove"]').click();
    await byTestId(ownerPage, 'message-delete-confirm').click();
    await until(() => byTestId(memberPage, 'tombstone').allTextContents()).toEqual([
      'This message was removed by a moderator',
    ]);
    await until(() => byTestId(ownerPage, 'tombstone').allTextContents()).toEqual([
      'This message was removed by a moderator',
    ]);

    // A member has no Remove on someone else's message.
    await send(ownerPage, 'house rules');
    const rules = memberPage.locator('[data-testid="message"]', { hasText: 'house rules' });
    await rules.hover();
    await rules.locator('[data-testid="message-reply"]').waitFor();
    expect(await rules.locator('[data-testid="message-remove"]').count()).toBe(0);
    expect(await byTestId(memberPage, 'room-settings-open').count()).toBe(0);

    await byTestId(ownerPage, 'room-settings-open').click();
    const row = ownerPage.locator(`[data-testid="room-member"][data-user-id="${member.id}"]`);
    await row.waitFor();
    // Every section open, no control reaches past the dialog's right edge.
    const clipped = await ownerPage.evaluate(() => {
      const dialog = document.querySelector('dialog[open]')!;
      dialog.querySelectorAll('details').forEach((d) => (d.open = true));
      const edge = dialog.getBoundingClientRect().right;
      return Array.from(dialog.querySelectorAll('button, input, select, textarea'))
        .filter(
          (e) => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > edge,
        )
        .map((e) => e.outerHTML.slice(0, 80));
    });
    expect(clipped).toEqual([]);
    // Ban asks first: dismissed (as the harness does), nothing happens.
    await row.locator('[data-testid="member-ban"]').click();
    await until(() => suite.browsers.dialogs.length).toBe(1);
    expect(suite.browsers.dialogs[0]).toMatch(/^confirm: Ban .* from the room\? They leave it now/);
    expect(await byTestId(memberPage, 'connection-status').getAttribute('data-state')).toBe('open');
    ownerPage.removeAllListeners('dialog');
    ownerPage.once('dialog', (dialog) => void dialog.accept());
    await row.locator('[data-testid="member-ban"]').click();
    // The banned person's socket is closed with the reason; the owner's stream says who.
    await until(() => byTestId(memberPage, 'connection-status').getAttribute('data-state')).toBe(
      'closed',
    );
    expect(await byTestId(memberPage, 'connection-status').textContent()).toBe(
      'You were banned from this room',
    );
    await until(() => ownerPage.locator('[data-testid="notice"][data-kind="banned"]').count()).toBe(
      1,
    );
    await until(() => ownerPage.locator('[data-testid="banned-user"]').count()).toBe(1);
    // Coming back does not let them in, and says why (not "no such room").
    await memberPage.reload();
    await until(() => byTestId(memberPage, 'conversation-error').textContent()).toBe(
      'You are banned from this room',
    );
    expect(await byTestId(memberPage, 'no-such-room').count()).toBe(0);
  });

  it('counts down slow mode in the composer after a member sends; the owner is exempt', async () => {
    const { ada: owner, room, a: ownerPage, b: memberPage } = await suite.twoInRoom();
    const set = await suite.api.call(`/rooms/${room.id}/slow-mode`, {
      method: 'PUT',
      json: { seconds: 30 },
      token: owner.token,
    });
    expect(set.status).toBe(200);
    // Both pages learn it from the notice in the room's order.
    await until(() => byTestId(memberPage, 'slow-mode').textContent()).toContain(
      'one message every 30 s',
    );
    await send(memberPage, 'one for now');
    await until(() => byTestId(memberPage, 'slow-mode-countdown').textContent()).toMatch(
      /^You can send again in (30|29|28|27|26|25) s\.$/,
    );
    await send(ownerPage, 'owner talks freely');
    await until(() => byTestId(ownerPage, 'slow-mode').textContent()).toContain(
      'moderators are exempt',
    );
    expect(await byTestId(ownerPage, 'slow-mode-countdown').count()).toBe(0);
  });

  it('keeps the newest message in view when the slow-mode line appears after the list', async () => {
    const { ada: owner, bo: member, room } = await suite.twoGuestsInRoom();
    const tall = Array.from({ length: 8 }, (_, i) => `Earlier ${i + 1}\ntwo\nthree\nfour\nfive`);
    const seqs = await sendOverSocket(suite.api, room.id, owner, tall);
    const set = await suite.api.call(`/rooms/${room.id}/slow-mode`, {
      method: 'PUT',
      json: { seconds: 30 },
      token: owner.token,
    });
    expect(set.status).toBe(200);
    await historyReaches(suite.api, room.id, owner.token, seqs.at(-1)!);
    // Opened anew: the list is placed at its newest message, the room's rules (and so the
    // line over the composer, which shrinks the list's view) come after.
    const page = await browsers.open({ as: member, path: `/c/${room.id}` });
    await conversationReady(page, room.id);
    await byTestId(page, 'slow-mode').waitFor();
    const belowView = () =>
      byTestId(page, 'message-list').evaluate((el) =>
        Math.round(el.scrollHeight - el.scrollTop - el.clientHeight),
      );
    await until(belowView).toBe(0);
  });
});
