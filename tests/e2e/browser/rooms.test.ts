/**
 * The room browser in Chromium against `wrangler dev`: it pages through every room and
 * searches on the server (it used to filter only the first page it had), and says
 * "1 member", not "1 members".
 */
import { describe, expect, it } from 'vitest';
import type { E2eUser } from '../client';
import { type Page } from './chromium';
import { browserSuite, unique } from './suite';
import { byTestId, conversationReady, until } from './ui';

const suite = browserSuite();
const { browsers } = suite;

/** Rooms called `${prefix} 00`…, created through the API (at most 10 per user at once). */
async function createRooms(prefix: string, count: number) {
  const owners: E2eUser[] = [];
  for (let i = 0; i < Math.ceil(count / 10); i++) owners.push(await suite.api.guest(unique('own')));
  const rooms: { id: string; name: string }[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix} ${String(i).padStart(2, '0')}`;
    const { status, body } = await suite.api.call('/rooms', {
      json: { name },
      token: owners[Math.floor(i / 10)]!.token,
    });
    expect(status).toBe(201);
    rooms.push(body.room as { id: string; name: string });
  }
  return rooms;
}

const rowNames = (page: Page) =>
  page.locator('[data-testid="room-row"] .room-name').allTextContents();

async function openBrowser(viewport?: { width: number; height: number }) {
  const visitor = await suite.api.guest(unique('vis'));
  const page = await browsers.open({ as: visitor, viewport, path: '/c/global' });
  await conversationReady(page, 'global');
  if (viewport && viewport.width < 700) {
    await page.getByRole('button', { name: 'Back to chats' }).click();
  }
  await byTestId(page, 'browse-rooms-button').click();
  await byTestId(page, 'room-browser').waitFor();
  return page;
}

describe('room browser', () => {
  it('searches every room on the server and pages past the first 50', async () => {
    const prefix = unique('Pager');
    const rooms = await createRooms(prefix, 52);
    const page = await openBrowser();

    await page.locator('#room-filter').fill(prefix);
    const names = rooms.map((r) => r.name);
    await until(() => rowNames(page)).toEqual(names.slice(0, 50));
    expect(await byTestId(page, 'room-browser-more').textContent()).toBe('More rooms');

    // From the keyboard: the last page takes the button away and focus goes to its first room.
    await byTestId(page, 'room-browser-more').focus();
    await page.keyboard.press('Enter');
    await until(() => rowNames(page)).toEqual(names);
    expect(await byTestId(page, 'room-browser-more').count()).toBe(0);
    expect(
      await page.evaluate(() => document.activeElement?.getAttribute('data-room-id') ?? null),
    ).toBe(rooms[50]!.id);

    // A narrower search starts again from its own first page.
    await page.locator('#room-filter').fill(`${prefix} 51`);
    await until(() => rowNames(page)).toEqual([`${prefix} 51`]);
    await page.locator('#room-filter').fill(`${prefix} none`);
    await until(() => byTestId(page, 'room-browser-empty').textContent()).toBe(
      `No rooms match “${prefix} none”`,
    );
  });

  it('counts one member as "1 member", shows the description, and cuts a long name short in a narrow window', async () => {
    const prefix = unique('Lonely');
    const name = `${prefix} long name cut on a phone`;
    const owner = await suite.api.guest();
    const created = await suite.api.call('/rooms', { json: { name }, token: owner.token });
    expect(created.status).toBe(201);
    // A description of one very long word, too: it wraps inside the row.
    const description = `Meet here. ${'W'.repeat(120)}`;
    const room = created.body.room as { id: string };
    const patched = await suite.api.call(`/rooms/${room.id}`, {
      method: 'PATCH',
      json: { description },
      token: owner.token,
    });
    expect(patched.status).toBe(200);
    const page = await openBrowser({ width: 360, height: 740 });
    await page.locator('#room-filter').fill(prefix);
    await until(() => page.locator('[data-testid="room-row"] .meta').allTextContents()).toEqual([
      '1 member · 0 online',
    ]);
    expect(await rowNames(page)).toEqual([name]);
    expect(await page.locator('[data-testid="room-row"] .room-description').textContent()).toBe(
      description,
    );
    // The name truncates inside the dialog; the dialog and its Join button stay on screen.
    const fits = await page.evaluate(() => {
      const dialog = document.querySelector('[data-testid="room-browser"]')!;
      const join = document.querySelector('[data-testid="room-join"]')!.getBoundingClientRect();
      return dialog.scrollWidth <= dialog.clientWidth && join.right <= window.innerWidth;
    });
    expect(fits).toBe(true);
  });
});
