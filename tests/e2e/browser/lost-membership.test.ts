/**
 * Losing a room while it is open, in Chromium against `wrangler dev`: banned, removed or left
 * elsewhere, the composer gives way to a bar that says so and nothing stays "Sending…"; the
 * owner is not offered a Leave the server would refuse, and a refused leave is shown.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, unique } from './suite';
import { byTestId, conversationReady, roomWith, sendOverSocket, until } from './ui';

const suite = browserSuite();

/**
 * Routes the page's room sockets through Playwright and swallows every `send` frame, so a
 * message stays on its way (never acknowledged) for as long as the test likes. Everything
 * else, and the server's close with its code and reason, passes through. Returns how many
 * room sockets the page opened.
 */
async function holdSends(page: Page): Promise<{ sockets: () => number }> {
  let sockets = 0;
  await page.routeWebSocket(/\/api\/rooms\/[^/]+\/ws/, (ws) => {
    sockets += 1;
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (typeof m === 'string' && m.startsWith('{') && JSON.parse(m).type === 'send') return;
      server.send(m);
    });
    server.onClose((code, reason) => ws.close({ code, reason }));
    ws.onClose((code, reason) => server.close({ code, reason }));
  });
  return { sockets: () => sockets };
}

/** Types a message and presses Enter; it shows as pending (the route holds it back). */
async function sendHeld(page: Page, text: string) {
  await byTestId(page, 'composer-input').fill(text);
  await byTestId(page, 'composer-input').press('Enter');
  await page.locator('[data-testid="message"][data-status="pending"]', { hasText: text }).waitFor();
}

/** An API call (a moderator's action, the person's own elsewhere) that must succeed. */
async function done(token: string, method: string, path: string, json: object = {}) {
  const res = await suite.api.call(path, { method, json, token });
  expect(res.status, `${method} ${path}`).toBe(200);
}

const pendingOrFailed = (page: Page, text: string) =>
  page.locator('[data-testid="message"][data-client-id]', { hasText: text });

describe('losing a room while it is open', () => {
  it('replaces the composer when banned and fails what was still on its way', async () => {
    const { ada, bo, room, b } = await suite.twoInRoom();
    const route = await holdSends(b);
    await b.reload();
    await conversationReady(b, room.id);
    await sendHeld(b, 'caught in flight');

    await done(ada.token, 'PUT', `/rooms/${room.id}/bans/${bo.id}`);

    await until(() => byTestId(b, 'chat-ended').textContent()).toBe(
      'You were banned from this room',
    );
    expect(await byTestId(b, 'composer-input').count()).toBe(0);
    expect(await byTestId(b, 'connection-status').getAttribute('data-state')).toBe('closed');
    // The chat left the list, and keeps its name on screen.
    expect(await b.locator('#conversation-title').textContent()).toBe(room.name);
    const held = pendingOrFailed(b, 'caught in flight');
    await until(() => held.getAttribute('data-status')).toBe('failed');
    expect(await held.locator('.message-status').textContent()).toContain(
      'Not sent: You were banned from this room',
    );
    // Retrying cannot bring back "Sending…" on a chat the server ended.
    await held.locator('[data-testid="retry-button"]').click();
    expect(await held.getAttribute('data-status')).toBe('failed');
    expect(await b.locator('[data-testid="message"][data-status="pending"]').count()).toBe(0);
    // Closed for good: no second socket was opened.
    expect(route.sockets()).toBe(1);
  });

  for (const [what, path, method, sentence] of [
    ['banned', 'bans', 'PUT', 'You are banned from this room'],
    ['removed', 'members', 'DELETE', 'You are not a member of this room'],
  ] as const) {
    it(`says so when ${what} while the tab was cut off, instead of reconnecting for ever`, async () => {
      const { ada, bo, room, b } = await suite.twoInRoom();
      await sendOverSocket(suite.api, room.id, ada, ['said before']);
      await until(() =>
        b.locator('[data-testid="message"]', { hasText: 'said before' }).count(),
      ).toBe(1);
      // The page's room sockets pass through Playwright; while `cut`, each attempt is dropped
      // as a lost network would drop it (1011: retried with backoff).
      let cut = false;
      let attempts = 0;
      let current: { close: (o: { code: number; reason: string }) => Promise<void> } | null = null;
      await b.routeWebSocket(/\/api\/rooms\/[^/]+\/ws/, (ws) => {
        attempts += 1;
        if (cut) return void ws.close({ code: 1011, reason: 'cut off' });
        const server = ws.connectToServer();
        server.onClose((code, reason) => ws.close({ code, reason }));
        ws.onClose((code, reason) => server.close({ code, reason }));
        current = ws;
      });
      await b.reload();
      await conversationReady(b, room.id);
      cut = true;
      await current!.close({ code: 1011, reason: 'cut off' });
      await until(() => byTestId(b, 'connection-status').getAttribute('data-state')).toBe(
        'reconnecting',
      );

      // While no socket of bo's is open: nothing can tell the tab but its next attempt.
      await done(ada.token, method, `/rooms/${room.id}/${path}/${bo.id}`);
      cut = false;
      const before = attempts;
      await b.evaluate(() => window.dispatchEvent(new Event('online')));
      await until(() => byTestId(b, 'chat-ended').textContent()).toBe(sentence);
      expect(await byTestId(b, 'composer-input').count()).toBe(0);
      expect(await byTestId(b, 'connection-status').getAttribute('data-state')).toBe('closed');
      // One attempt reached the server, and 'closed' means none is scheduled after it.
      expect(attempts).toBe(before + 1);
      // What was on screen stays there.
      expect(await b.locator('[data-testid="message"]', { hasText: 'said before' }).count()).toBe(
        1,
      );
    });
  }

  it('says so when removed from a private room or when the room is deleted, not "no such room"', async () => {
    const { ada, bo, room, a, b } = await suite.twoInRoom();
    await done(ada.token, 'PUT', `/rooms/${room.id}/privacy`, { private: true });
    await done(ada.token, 'DELETE', `/rooms/${room.id}/members/${bo.id}`);
    await until(() => byTestId(b, 'chat-ended').textContent()).toBe(
      'You were removed from this room',
    );
    // The chat's own answers now say 404 (it is private): still the sentence, and the history.
    await until(() => byTestId(b, 'conversation-error').count()).toBe(0);
    expect(await b.locator('[data-testid="conversation"]').count()).toBe(1);
    expect(await byTestId(b, 'chat-ended').textContent()).toBe('You were removed from this room');

    // Deleted while its owner has it open elsewhere: the same, for the owner's other tab.
    a.removeAllListeners('dialog');
    await done(ada.token, 'DELETE', `/rooms/${room.id}`);
    await until(() => byTestId(a, 'chat-ended').textContent()).toBe('This room was deleted');
  });

  it('says a banned person is banned when they open the room again', async () => {
    const { ada, bo, room, b } = await suite.twoInRoom();
    await done(ada.token, 'PUT', `/rooms/${room.id}/bans/${bo.id}`);
    await until(() => byTestId(b, 'chat-ended').count()).toBe(1);
    await b.reload();
    await until(() => byTestId(b, 'conversation-error').textContent()).toBe(
      'You are banned from this room',
    );
    expect(await byTestId(b, 'composer-input').count()).toBe(0);
  });

  it('opens the chat afresh when the ban ends while the page shows it as lost', async () => {
    const { ada, bo, room, b } = await suite.twoInRoom();
    await done(ada.token, 'PUT', `/rooms/${room.id}/bans/${bo.id}`);
    await until(() => byTestId(b, 'chat-ended').textContent()).toBe(
      'You were banned from this room',
    );
    await done(ada.token, 'DELETE', `/rooms/${room.id}/bans/${bo.id}`);
    // Not a member again (only the global room rejoins): the room as a visitor sees it.
    await until(() => byTestId(b, 'join-room').count()).toBe(1);
    expect(await byTestId(b, 'chat-ended').count()).toBe(0);
    await byTestId(b, 'join-room').click();
    await until(() => byTestId(b, 'composer-input').count()).toBe(1);
    await byTestId(b, 'composer-input').fill('back again');
    await byTestId(b, 'composer-input').press('Enter');
    await until(() =>
      b.locator('[data-testid="message"][data-status="sent"]', { hasText: 'back again' }).count(),
    ).toBe(1);
  });

  it('replaces the composer when removed by a moderator', async () => {
    const { ada, bo, room, b } = await suite.twoInRoom();
    await done(ada.token, 'DELETE', `/rooms/${room.id}/members/${bo.id}`);
    await until(() => byTestId(b, 'chat-ended').textContent()).toBe(
      'You were removed from this room',
    );
    expect(await byTestId(b, 'composer-input').count()).toBe(0);
    expect(await byTestId(b, 'join-room').count()).toBe(0);
  });

  it('replaces the composer when the user left the room elsewhere (another tab)', async () => {
    const { bo, room, b } = await suite.twoInRoom();
    await done(bo.token, 'POST', `/rooms/${room.id}/leave`);
    await until(() => byTestId(b, 'chat-ended').textContent()).toBe('You left this room');
    expect(await byTestId(b, 'composer-input').count()).toBe(0);
  });

  it('offers the owner no Leave (the server would refuse it); a member has one', async () => {
    const { a, b } = await suite.twoInRoom();
    // Settings shows once the owner's role is known: from then on, no Leave.
    await byTestId(a, 'room-settings-open').waitFor();
    expect(await byTestId(a, 'leave-room').count()).toBe(0);
    expect(await byTestId(b, 'leave-room').count()).toBe(1);
  });

  it('shows a refused leave instead of failing silently', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const room = await roomWith(suite.api, ada, bo);
    const as = (token: string, path: string, method = 'POST') =>
      suite.api.call(`/rooms/${room.id}${path}`, { method, json: {}, token });
    // Five of bo's six joins and leaves of this room: leave, join, leave, join.
    for (const path of ['/leave', '/join', '/leave', '/join']) {
      expect((await as(bo.token, path)).status).toBe(200);
    }
    // Removed by the owner (spends none of bo's) and joined again: the sixth, the last.
    expect((await as(ada.token, `/members/${bo.id}`, 'DELETE')).status).toBe(200);
    expect((await as(bo.token, '/join')).status).toBe(200);

    const b = await suite.browsers.open({ as: bo, path: `/c/${room.id}` });
    await conversationReady(b, room.id);
    b.removeAllListeners('dialog');
    b.on('dialog', (dialog) => void dialog.accept());
    await byTestId(b, 'leave-room').click();
    // The server's refusal shows where the chat's problems do, and the chat stays open.
    await until(() => byTestId(b, 'conversation-problem').textContent()).toContain(
      'You are joining and leaving rooms too quickly',
    );
    expect(await b.locator(`[data-testid="conversation"][data-room-id="${room.id}"]`).count()).toBe(
      1,
    );
  });
});
