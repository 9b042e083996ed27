/**
 * Real Chromium against `wrangler dev`: long histories, a server restart under a connected
 * page, and screenshots of the main screen for review. The rate limit is raised so a test
 * can seed a room with hundreds of messages over a socket.
 */
import { mkdirSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { E2eUser } from '../client';
import { type Page } from './chromium';
import { browserSuite, unique } from './suite';
import {
  attr,
  byTestId,
  conversationReady,
  historyReaches,
  messageSeqs,
  messageTexts,
  roomWith,
  send,
  sendOverSocket,
  until,
} from './ui';

const suite = browserSuite({ MESSAGE_BURST: '1000', MESSAGE_RATE_PER_SECOND: '1000' });
const { server, browsers } = suite;
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('history', () => {
  /** A room of 200 messages by Bo, and a member who has not opened it yet. */
  async function roomOf200() {
    const [bo, reader] = await Promise.all([
      suite.api.guest(unique('bo')),
      suite.api.guest(unique('reader')),
    ]);
    const room = await roomWith(suite.api, bo, reader);
    const texts = range(1, 200).map((n) => `message number ${n}`);
    // The reader's join notice took seq 1: message n is seq n + 1.
    expect(await sendOverSocket(suite.api, room.id, bo, texts)).toEqual(range(2, 201));
    await historyReaches(suite.api, room.id, bo.token, 201);
    return { room, texts, reader };
  }

  /** Opens the room at its latest page, scrolled to the bottom. */
  async function openAtBottom(roomId: string, viewer: E2eUser) {
    const page = await browsers.open({ as: viewer, path: `/c/${roomId}` });
    await conversationReady(page, roomId);
    expect(await messageSeqs(page)).toEqual(range(152, 201));
    const list = byTestId(page, 'message-list');
    expect(
      await list.evaluate((el) => Math.abs(el.scrollHeight - el.clientHeight - el.scrollTop)),
    ).toBeLessThan(2);
    expect(await byTestId(page, 'load-older').count()).toBe(1);
    return { page, list };
  }

  /** Scrolls the list to its top; resolves with the first message and where it was on screen. */
  const scrollToTop = (list: Locator) =>
    list.evaluate((el) => {
      el.scrollTop = 0;
      const first = el.querySelector<HTMLElement>('[data-testid="message"]')!;
      return { seq: Number(first.dataset.seq), top: first.getBoundingClientRect().top };
    });

  it('loads older pages while scrolling up a room of 200 messages, in order, each once', async () => {
    const { room, texts, reader } = await roomOf200();
    const { page, list } = await openAtBottom(room.id, reader);
    for (const oldest of [102, 52, 2]) {
      await scrollToTop(list);
      await until(async () => (await messageSeqs(page))[0]).toBe(oldest);
    }
    await byTestId(page, 'history-start').waitFor();
    expect(await byTestId(page, 'load-older').count()).toBe(0);
    expect(await messageSeqs(page)).toEqual(range(2, 201));
    expect(await messageTexts(page)).toEqual(texts);
  });

  it('keeps the message the reader was looking at in place when an older page loads above it', async () => {
    const { room, reader } = await roomOf200();
    const { page, list } = await openAtBottom(room.id, reader);
    const shifts: number[] = [];
    for (const oldest of [102, 52, 2]) {
      const before = await scrollToTop(list);
      await until(async () => (await messageSeqs(page))[0]).toBe(oldest);
      const after = await page
        .locator(`[data-testid="message"][data-seq="${before.seq}"]`)
        .evaluate((el) => el.getBoundingClientRect().top);
      shifts.push(Math.round(after - before.top));
    }
    // Sub-pixel rounding aside, nothing moves.
    expect(shifts.map((s) => (Math.abs(s) <= 1 ? 0 : s))).toEqual([0, 0, 0]);
  });
});

describe('restarts', () => {
  it('shows the messages sent while the server restarted after the page reconnects, each once, in order', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const room = await roomWith(suite.api, ada, bo);
    const page = await browsers.open({ as: ada, path: `/c/${room.id}` });
    const roomSockets: string[] = [];
    page.on('websocket', (ws) => {
      if (ws.url().includes(`/api/rooms/${room.id}/ws`)) roomSockets.push(ws.url());
    });
    await conversationReady(page, room.id);
    await sendOverSocket(suite.api, room.id, bo, ['before the restart']);
    await until(() => messageTexts(page)).toEqual(['before the restart']);

    // server.restart(), in two steps so the page is seen to lose its connection in between.
    await server.kill();
    const status = byTestId(page, 'connection-status');
    await until(() => attr(status, 'data-state')).toEqual(['reconnecting']);
    await server.start();
    const missed = ['missed one', 'missed two', 'missed three'];
    expect(await sendOverSocket(suite.api, room.id, bo, missed)).toEqual([3, 4, 5]); // after Bo's join notice and the first message

    // Reconnecting waits out the backoff (up to 16 s after five failed attempts).
    await until(() => messageTexts(page), 40_000).toEqual(['before the restart', ...missed]);
    expect(await messageSeqs(page)).toEqual([2, 3, 4, 5]);
    expect(await attr(byTestId(page, 'message'), 'data-author-id')).toEqual(Array(4).fill(bo.id));
    await until(() => attr(status, 'data-state')).toEqual(['open']);
    // It resumed after the last seq it had, not from scratch.
    expect(roomSockets.at(-1)).toMatch(/\?after=2$/); // Bo's join notice, then the message

    // And the connection works both ways again.
    await send(page, 'back online');
    expect(await messageSeqs(page)).toEqual([2, 3, 4, 5, 6]);
    await until(() => attr(byTestId(page, 'lobby-status'), 'data-state')).toEqual(['open']);
  });
});

describe('screenshots', () => {
  const dir = new URL('../../../test-results/screenshots/', import.meta.url).pathname;
  const LIGHT_BG = 'rgb(255, 255, 255)';
  const DARK_BG = 'rgb(21, 23, 28)';
  const background = (page: Page) =>
    page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  async function shot(page: Page, name: string) {
    // No hover highlight from wherever the pointer was last.
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${dir}${name}.png` });
  }
  const noSideScroll = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('captures the main screen in light and dark at 1280 and 360 px wide', async () => {
    mkdirSync(dir, { recursive: true });
    const [ada, bo, cy] = await Promise.all([
      suite.api.guest(unique('Ada')),
      suite.api.guest(unique('Bo')),
      suite.api.guest(unique('Cy')),
    ]);
    const { body } = await suite.api.call('/rooms', {
      json: { name: unique('Design review '), topic: 'Mockups, feedback and the launch plan' },
      token: ada.token,
    });
    const roomId = (body.room as { id: string }).id;
    for (const u of [bo, cy])
      await suite.api.call(`/rooms/${roomId}/join`, { json: {}, token: u.token });
    await sendOverSocket(suite.api, roomId, ada, ['Morning all! The new mockups are up.']);
    await sendOverSocket(suite.api, roomId, bo, [
      'Looks great. One note on the sidebar: the badges could use more contrast.',
      'Spec is at https://example.com/specs/sidebar, section 3.',
    ]);
    await sendOverSocket(suite.api, roomId, cy, ['Agreed. Shipping Thursday?']);
    await sendOverSocket(suite.api, roomId, ada, ['Thursday it is.']);
    const dm = await suite.api.call('/dms', { json: { userId: ada.id }, token: bo.token });
    const dmId = (dm.body.chat as { id: string }).id;
    await sendOverSocket(suite.api, dmId, bo, ['Got a minute after standup?']);
    await historyReaches(suite.api, roomId, ada.token, 7); // after two join notices

    for (const width of [1280, 360]) {
      const page = await browsers.open({
        as: ada,
        path: `/c/${roomId}`,
        viewport: { width, height: width > 700 ? 800 : 740 },
        colorScheme: 'light',
      });
      await conversationReady(page, roomId);
      await until(() => messageSeqs(page)).toEqual([3, 4, 5, 6, 7]);
      if (width > 700) {
        await page
          .locator(`[data-testid="chat-item"][data-room-id="${dmId}"] [data-testid="unread-badge"]`)
          .waitFor();
        await until(() =>
          attr(
            page.locator('[data-testid="online-room"] [data-testid="online-user"]'),
            'data-user-id',
          ),
        ).toEqual([ada.id]);
      } else {
        expect(await page.locator('.sidebar').isVisible()).toBe(false);
      }
      expect(await noSideScroll(page)).toBe(true);

      // The theme follows the system until the toggle pins one.
      await page.emulateMedia({ colorScheme: 'dark' });
      await until(() => background(page)).toBe(DARK_BG);
      await page.emulateMedia({ colorScheme: 'light' });
      await until(() => background(page)).toBe(LIGHT_BG);
      await shot(page, `main-${width}-light`);
      const toggle = byTestId(page, 'theme-toggle');
      if (width <= 700) {
        await page.getByRole('button', { name: 'Back to chats' }).click();
        await byTestId(page, 'chat-list').waitFor();
        expect(await noSideScroll(page)).toBe(true);
        await shot(page, `chats-${width}-light`);
      }
      await toggle.click(); // system → light
      await toggle.click(); // light → dark, over a light system
      await until(() => attr(toggle, 'data-theme')).toEqual(['dark']);
      await until(() => background(page)).toBe(DARK_BG);
      if (width <= 700) {
        await shot(page, `chats-${width}-dark`);
        await page.locator(`[data-testid="chat-item"][data-room-id="${roomId}"]`).click();
        await conversationReady(page, roomId);
      }
      await shot(page, `main-${width}-dark`);
      expect(await noSideScroll(page)).toBe(true);
    }
  });
});
