/**
 * Real Chromium: a message's permalink (`/c/ROOM/m/SEQ`) opens the chat at that message for
 * anyone who may read it, and says so plainly to anyone who may not.
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

const suite = browserSuite({
  MESSAGE_BURST: '1000',
  MESSAGE_RATE_PER_SECOND: '1000',
  MESSAGE_BURST_ALL_CHATS: '1000',
  MESSAGE_RATE_ALL_CHATS_PER_SECOND: '1000',
});
const { browsers } = suite;

describe('permalinks', () => {
  it('opens the chat at the linked message, three pages back, and copies a link', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const room = await roomWith(suite.api, ada, bo);
    const texts = Array.from({ length: 130 }, (_, i) => `message ${i + 1}`);
    await sendOverSocket(suite.api, room.id, ada, texts);
    // Bo's join notice took seq 1: message n is seq n + 1.
    await historyReaches(suite.api, room.id, bo.token, 131);

    const page = await browsers.open({ as: bo, path: `/c/${room.id}/m/8` });
    await conversationReady(page, room.id);
    await until(() => page.evaluate(() => document.activeElement?.id)).toBe('m-8');
    expect(await messageAt(page, 8).textContent()).toContain('message 7');
    const box = await messageAt(page, 8).boundingBox();
    expect(box && box.y > 0 && box.y < 800).toBe(true);

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await messageAt(page, 8).locator('[data-testid="message-link"]').click();
    await until(() =>
      messageAt(page, 8).locator('[data-testid="message-link"]').textContent(),
    ).toBe('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(`${suite.server.url}/c/${room.id}/m/8`);
  });

  it('tells someone who may not read the chat, or a message that does not exist, plainly', async () => {
    const [ada, bo, eve] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
      suite.api.guest(unique('eve')),
    ]);
    const { body } = await suite.api.call('/dms', { json: { userId: bo.id }, token: ada.token });
    const dm = (body.chat as { id: string }).id;
    await sendOverSocket(suite.api, dm, ada, ['just between us']);
    const outsider = await browsers.open({ as: eve, path: `/c/${encodeURIComponent(dm)}/m/1` });
    await until(() => byTestId(outsider, 'conversation-error').textContent()).toContain('private');
    expect(await outsider.locator('[data-testid="message"]').count()).toBe(0);

    // Bo's join notice is seq 1, the one message seq 2: a link to 1 names no message.
    const room = await roomWith(suite.api, ada, bo);
    await sendOverSocket(suite.api, room.id, ada, ['only one']);
    await historyReaches(suite.api, room.id, ada.token, 2);
    for (const seq of ['99', '1', 'abc', '0']) {
      const page = await browsers.open({ as: ada, path: `/c/${room.id}/m/${seq}` });
      await conversationReady(page, room.id);
      await until(() => byTestId(page, 'conversation-problem').textContent()).toContain(
        'does not exist',
      );
      expect(await messageAt(page, 2).textContent()).toContain('only one');
      await page.close();
    }
  });
});
