/**
 * A room's people in Chromium against `wrangler dev`, as a team coming from Slack looks for
 * them: the member count in the header follows joins, additions and removals live; any
 * member opens the list (names, roles, who is online); the owner adds people from the header
 * and right after making a room, and the person added finds it marked in their chat list.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from './chromium';
import { browserSuite, unique } from './suite';
import { attr, byTestId, conversationReady, until } from './ui';

const suite = browserSuite();
const { browsers } = suite;

const headerCount = (page: Page) => byTestId(page, 'members-open').locator('.count').textContent();
const listedIds = (page: Page) => attr(byTestId(page, 'member'), 'data-user-id');
const chatItem = (page: Page, roomId: string) =>
  page.locator(`[data-testid="chat-item"][data-room-id="${roomId}"]`);

/** Adds the person named `name` from the dialog's name box. */
async function addByName(page: Page, name: string) {
  const box = byTestId(page, 'room-add-person');
  await box.fill(name);
  const found = byTestId(page, 'room-add-found').locator('li', { hasText: name });
  await found.locator('[data-testid="person-add"]').click();
  // Added: the box is empty again, ready for the next name.
  await until(() => box.inputValue()).toBe('');
}

describe('room members', () => {
  it('counts the members in the header for everyone, live as people join, are added and removed', async () => {
    const { ada, room, a, b } = await suite.twoInRoom();
    for (const page of [a, b]) await until(() => headerCount(page)).toBe('2');
    expect(await byTestId(b, 'members-open').getAttribute('aria-label')).toBe(
      'Members: 2 in this room',
    );

    // A join's notice carries the new count: no open tab asks the server for it again (in a
    // room with thousands online, one read per tab per join).
    const adminReads: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (r.url().includes(`/api/rooms/${room.id}/admin`)) adminReads.push(r.url());
    };
    for (const page of [a, b]) page.on('request', onRequest);
    const cy = await suite.api.guest(unique('cy'));
    const joined = await suite.api.call(`/rooms/${room.id}/join`, { json: {}, token: cy.token });
    expect(joined.status).toBe(200);
    for (const page of [a, b]) await until(() => headerCount(page)).toBe('3');
    for (const page of [a, b]) page.off('request', onRequest);
    expect(adminReads).toEqual([]);

    const dee = await suite.api.guest(unique('dee'));
    const added = await suite.api.call(`/rooms/${room.id}/members`, {
      json: { userId: dee.id },
      token: ada.token,
    });
    expect(added.status).toBe(200);
    for (const page of [a, b]) await until(() => headerCount(page)).toBe('4');

    const removed = await suite.api.call(`/rooms/${room.id}/members/${cy.id}`, {
      method: 'DELETE',
      json: {},
      token: ada.token,
    });
    expect(removed.status).toBe(200);
    for (const page of [a, b]) await until(() => headerCount(page)).toBe('3');

    // Only the owner and moderators get "Add people".
    expect(await byTestId(a, 'add-people').count()).toBe(1);
    expect(await byTestId(b, 'add-people').count()).toBe(0);
    // Everyone is in the global room: no count there.
    await b.goto('/c/global');
    await conversationReady(b, 'global');
    expect(await byTestId(b, 'members-open').count()).toBe(0);
  });

  it('lets a member open the list: names, roles and who is online, and Escape closes it', async () => {
    const { ada, bo, room, b } = await suite.twoInRoom();
    const cy = await suite.api.guest(unique('cy'));
    const joined = await suite.api.call(`/rooms/${room.id}/join`, { json: {}, token: cy.token });
    expect(joined.status).toBe(200);
    await until(() => headerCount(b)).toBe('3');

    const opener = byTestId(b, 'members-open');
    await opener.click();
    const dialog = byTestId(b, 'members-dialog');
    await until(() => dialog.locator('h2').textContent()).toBe('Members (3)');
    const byName = [ada, bo, cy].sort((x, y) =>
      x.name.toLowerCase() < y.name.toLowerCase() ? -1 : 1,
    );
    await until(() => listedIds(b)).toEqual(byName.map((u) => u.id));
    const row = (id: string) => b.locator(`[data-testid="member"][data-user-id="${id}"]`);
    expect(await row(ada.id).getAttribute('data-role')).toBe('owner');
    expect(await row(ada.id).locator('.tag').allTextContents()).toEqual(['owner', 'guest']);
    expect(await row(bo.id).locator('.tag').allTextContents()).toEqual(['you', 'guest']);
    expect(await row(cy.id).locator('[data-testid="member-name"] bdi').textContent()).toBe(cy.name);
    expect(await row(cy.id).locator('[data-testid="member-name"]').getAttribute('dir')).toBe(
      'auto',
    );
    // Ada has the room open: online; Cy joined through the API and has not.
    await until(() => row(ada.id).locator('.member-online').count()).toBe(1);
    expect(await row(cy.id).locator('.member-online').count()).toBe(0);
    // A plain member has no name box.
    expect(await byTestId(b, 'room-add-person').count()).toBe(0);

    await b.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('offers Add people after making a room and from the header; the person added sees it marked', async () => {
    const ada = await suite.api.guest(unique('ada'));
    const [bo, cy] = [await suite.api.guest(unique('bo')), await suite.api.guest(unique('cy'))];
    const [a, c] = [await browsers.open({ as: ada }), await browsers.open({ as: cy })];

    await byTestId(a, 'new-room-button').click();
    await byTestId(a, 'create-room-name').fill(unique('Team '));
    await byTestId(a, 'create-room-submit').click();
    await a.waitForURL((url) => url.pathname.startsWith('/c/') && url.pathname !== '/c/global');
    const roomId = decodeURIComponent(new URL(a.url()).pathname.slice('/c/'.length));
    await conversationReady(a, roomId);

    // The new room asks whom it is for, with the name box ready to type in.
    const dialog = byTestId(a, 'members-dialog');
    await dialog.waitFor();
    const box = byTestId(a, 'room-add-person');
    await until(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await addByName(a, bo.name);
    await until(() => listedIds(a)).toEqual(
      [ada, bo]
        .sort((x, y) => (x.name.toLowerCase() < y.name.toLowerCase() ? -1 : 1))
        .map((u) => u.id),
    );
    await until(() => headerCount(a)).toBe('2');
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Later, from the header: Cy is added and finds the room in their list, marked unread.
    expect(await chatItem(c, roomId).count()).toBe(0);
    await byTestId(a, 'add-people').click();
    await until(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await addByName(a, cy.name);
    await until(() => listedIds(a).then((ids) => ids.includes(cy.id))).toBe(true);
    await until(() => headerCount(a)).toBe('3');
    await chatItem(c, roomId).waitFor();
    await until(() => chatItem(c, roomId).locator('[data-testid="unread-badge"]').count()).toBe(1);
    expect(await chatItem(c, roomId).getAttribute('class')).toContain('has-unread');
  });
});
