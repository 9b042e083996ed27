/**
 * Real Chromium: the chat list stays where a reload would put it without one. Deletes and
 * edits change the badge, the title and the preview; reading a chat in one tab clears its
 * badge in the user's other tab; being removed from a room takes it off both tabs.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2eUser } from '../client';
import { browserSuite, unique } from './suite';
import { conversationReady, roomWith, sendOverSocket, until } from './ui';

const suite = browserSuite();
const { browsers } = suite;

const people = () => Promise.all([suite.api.guest(unique('ada')), suite.api.guest(unique('bo'))]);
const item = (page: Page, roomId: string) =>
  page.locator(`[data-testid="chat-item"][data-room-id="${roomId}"]`);
const unreadOf = (page: Page, roomId: string) =>
  item(page, roomId)
    .locator('[data-testid="unread-badge"]')
    .textContent({ timeout: 200 })
    .catch(() => null);

/** Deletes `targets` over a socket as `user`, each one broadcast back. */
async function remove(user: E2eUser, roomId: string, targets: number[]) {
  const socket = await suite.api.open(`/rooms/${roomId}/ws`, user.token);
  try {
    for (const target of targets) {
      socket.send({ type: 'delete', target });
      await socket.q.take((f) => f.type === 'delete' && f.target === target, 15_000, 'delete');
    }
  } finally {
    socket.close();
  }
}

describe('the live chat list', () => {
  it('counts deletes at once: badge, title and preview as after a reload', async () => {
    const [ada, bo] = await people();
    const room = await roomWith(suite.api, ada, bo);
    const b = await browsers.open({ as: bo, path: '/c/global' });
    await conversationReady(b, 'global');
    const [, one, two] = await sendOverSocket(suite.api, room.id, ada, [
      'plain 0',
      `hi <@${bo.id}> 1`,
      'plain 2',
    ]);
    await until(() => unreadOf(b, room.id)).toBe('@ 3');
    await until(() => b.title()).toBe('(@ 1) Parlor');
    await until(() => item(b, room.id).textContent()).toContain('plain 2');

    // What the page reads from here on: the one changed row, not the whole list.
    const reads: string[] = [];
    b.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/chats')) reads.push(decodeURIComponent(path));
    });
    await remove(ada, room.id, [two!, one!]);
    await until(() => unreadOf(b, room.id)).toBe('1');
    await until(() => item(b, room.id).textContent()).toContain('Message deleted');
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads)).toEqual(new Set([`/api/chats/${room.id}`]));
    // A plain message in a mentions-only room stays out of the title.
    await until(() => b.title()).toBe('Parlor');
    // A reload shows the same.
    await b.reload();
    await conversationReady(b, 'global');
    await until(() => unreadOf(b, room.id)).toBe('1');
    expect(await item(b, room.id).textContent()).toContain('Message deleted');
  });

  it('marks every chat read at once, from the button or Shift+Esc, as a reload shows', async () => {
    const [ada, bo] = await people();
    const [r1, r2] = [await roomWith(suite.api, ada, bo), await roomWith(suite.api, ada, bo)];
    const b = await browsers.open({ as: bo, path: '/c/global' });
    await conversationReady(b, 'global');
    await sendOverSocket(suite.api, r1.id, ada, ['one', `two <@${bo.id}>`]);
    await sendOverSocket(suite.api, r2.id, ada, ['three']);
    await until(() => unreadOf(b, r1.id)).toBe('@ 2');
    await until(() => unreadOf(b, r2.id)).toBe('1');
    await b.locator('[data-testid="read-all"]').click();
    await until(() => Promise.all([unreadOf(b, r1.id), unreadOf(b, r2.id)])).toEqual([null, null]);
    await until(() => b.locator('[data-testid="read-all"]').count()).toBe(0);
    await b.reload();
    await conversationReady(b, 'global');
    await until(() => item(b, r2.id).count()).toBe(1);
    expect([await unreadOf(b, r1.id), await unreadOf(b, r2.id)]).toEqual([null, null]);

    // The shortcut, from the message stream (not a text field's own Escape).
    await sendOverSocket(suite.api, r2.id, ada, ['four']);
    await until(() => unreadOf(b, r2.id)).toBe('1');
    await b.locator('[data-testid="search-button"]').focus();
    await b.keyboard.press('Shift+Escape');
    await until(() => unreadOf(b, r2.id)).toBe(null);
  });

  it('moves between chats with Alt+arrows (Alt+Shift: unread ones only) and lists the shortcuts', async () => {
    const [ada, bo] = await people();
    const [r1, r2] = [await roomWith(suite.api, ada, bo), await roomWith(suite.api, ada, bo)];
    const b = await browsers.open({ as: bo, path: '/c/global' });
    await conversationReady(b, 'global');
    await sendOverSocket(suite.api, r1.id, ada, ['older news']);
    await sendOverSocket(suite.api, r2.id, ada, ['newest news']);
    await until(() => unreadOf(b, r1.id)).toBe('1');
    await until(() => unreadOf(b, r2.id)).toBe('1');
    const order = await b
      .locator('[data-testid="chat-item"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-room-id')));
    const open = () => decodeURIComponent(new URL(b.url()).pathname.slice('/c/'.length));
    const from = (id: string) => order.indexOf(id);

    // Unread only, with the keyboard in the composer: from the global room (listed after
    // both rooms, which are newer) up to the nearest chat with something new.
    const g = from('global');
    const unreadAbove = order
      .slice(0, g)
      .reverse()
      .find((id) => id === r1.id || id === r2.id);
    expect(unreadAbove).toBeTruthy();
    await b.locator('#composer-input').focus();
    await b.keyboard.press('Alt+Shift+ArrowUp');
    await until(open).toBe(unreadAbove);
    await until(() => b.evaluate(() => document.activeElement?.id)).toBe('composer-input');
    // One step either way, whatever the chat.
    const here = from(unreadAbove!);
    await b.keyboard.press('Alt+ArrowDown');
    await until(open).toBe(order[here + 1]);
    await b.keyboard.press('Alt+ArrowUp');
    await until(open).toBe(unreadAbove);

    // The list of shortcuts: Ctrl+/ from a text field, ? elsewhere; Escape closes it.
    await b.locator('#composer-input').focus();
    await b.keyboard.press('Control+/');
    const dialog = b.locator('[data-testid="shortcuts"]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Previous or next chat in the list');
    await b.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await b.locator('[data-testid="search-button"]').focus();
    await b.keyboard.press('Shift+Slash');
    await dialog.waitFor();
  });

  it('keeps two tabs of one person together: a read in one clears the other, a removal leaves both', async () => {
    const [ada, bo] = await people();
    const room = await roomWith(suite.api, ada, bo);
    const [t1, t2] = [
      await browsers.open({ as: bo, path: '/c/global' }),
      await browsers.open({ as: bo, path: '/c/global' }),
    ];
    await Promise.all([conversationReady(t1, 'global'), conversationReady(t2, 'global')]);
    await sendOverSocket(suite.api, room.id, ada, ['one', 'two']);
    await until(() => unreadOf(t1, room.id)).toBe('2');
    await until(() => unreadOf(t2, room.id)).toBe('2');

    await item(t1, room.id).click();
    await conversationReady(t1, room.id);
    await until(() => unreadOf(t1, room.id)).toBe(null);
    await until(() => unreadOf(t2, room.id)).toBe(null);

    // The owner removes Bo: the room leaves both tabs' lists.
    const { status } = await suite.api.call(`/rooms/${room.id}/members/${bo.id}`, {
      method: 'DELETE',
      json: {},
      token: ada.token,
    });
    expect(status).toBe(200);
    await until(() => item(t2, room.id).count()).toBe(0);
    await until(() => item(t1, room.id).count()).toBe(0);
  });

  it('closes a DM in every tab until the other person writes again, then lists it unread', async () => {
    const [ada, bo] = await people();
    const opened = await suite.api.call('/dms', { json: { userId: bo.id }, token: ada.token });
    const dm = (opened.body.chat as { id: string }).id;
    await sendOverSocket(suite.api, dm, bo, ['are you there?']);
    const [t1, t2] = [
      await browsers.open({ as: ada, path: `/c/${dm}` }),
      await browsers.open({ as: ada, path: '/c/global' }),
    ];
    await Promise.all([conversationReady(t1, dm), conversationReady(t2, 'global')]);
    await t1.locator('[data-testid="close-chat"]').click();
    await until(() => item(t1, dm).count()).toBe(0);
    await until(() => item(t2, dm).count()).toBe(0);
    // The screen moved on from the closed chat.
    await until(() => t1.url().endsWith(`/c/${dm}`)).toBe(false);

    await sendOverSocket(suite.api, dm, bo, ['hello again']);
    await until(() => unreadOf(t1, dm)).toBe('1');
    await until(() => unreadOf(t2, dm)).toBe('1');

    // Closed again, then opened from the people finder: listed again, also once left.
    await item(t1, dm).click();
    await conversationReady(t1, dm);
    await t1.locator('[data-testid="close-chat"]').click();
    await until(() => item(t2, dm).count()).toBe(0);
    await t1.locator('[data-testid="find-people-button"]').click();
    await t1.locator('[data-testid="people-search"]').fill(bo.name);
    await t1.locator(`[data-testid="person-result"][data-user-id="${bo.id}"]`).click();
    await conversationReady(t1, dm);
    await t1.locator('[data-testid="chat-item"][data-room-id="global"]').click();
    await conversationReady(t1, 'global');
    expect(await item(t1, dm).count()).toBe(1);
    await until(() => item(t2, dm).count()).toBe(1);
  });
});
