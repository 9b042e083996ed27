/**
 * Real Chromium: replying quotes the original, and clicking the quote brings the original
 * into view, loading older pages when it is not loaded yet.
 */
import { describe, expect, it } from 'vitest';
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

// A long room is set up quickly: the per-user rate limits are lifted for this server.
const suite = browserSuite({
  MESSAGE_BURST: '1000',
  MESSAGE_RATE_PER_SECOND: '1000',
  MESSAGE_BURST_ALL_CHATS: '1000',
  MESSAGE_RATE_ALL_CHATS_PER_SECOND: '1000',
});
const { browsers } = suite;

describe('replies', () => {
  it('quotes the original and jumps to it, loading older pages when needed', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const room = await roomWith(suite.api, ada, bo);
    await sendOverSocket(suite.api, room.id, ada, ['Where shall we meet?']);
    const filler = Array.from({ length: 120 }, (_, i) => `filler ${i + 1}`);
    await sendOverSocket(suite.api, room.id, bo, filler);
    // Bo's join notice took seq 1: message n is seq n + 1.
    await historyReaches(suite.api, room.id, ada.token, 122);

    const page = await browsers.open({ as: ada, path: `/c/${room.id}` });
    await conversationReady(page, room.id);
    // Ada replies to Bo's latest message through its Reply action.
    await messageAt(page, 122).hover();
    await messageAt(page, 122).locator('[data-testid="message-reply"]').click();
    expect(await byTestId(page, 'replying-to').textContent()).toContain('filler 120');
    // Focus moves on the next task, once the menu that held the button has rendered away.
    await until(() => page.evaluate(() => document.activeElement?.id)).toBe('composer-input');
    await send(page, 'Agreed');
    const quote = messageAt(page, 123).locator('[data-testid="reply-quote"]');
    expect(await quote.textContent()).toContain(`${bo.name} filler 120`);
    expect(await byTestId(page, 'replying-to').count()).toBe(0);

    // Bo answers the very first message from a socket; Ada sees a quote of a message that is
    // not loaded, and clicking it loads back to it and brings it into view.
    const socket = await suite.api.open(`/rooms/${room.id}/ws`, bo.token);
    socket.send({
      type: 'send',
      clientId: crypto.randomUUID(),
      text: 'By the fountain',
      replyTo: 2,
    });
    await socket.q.take((f) => f.type === 'ack');
    socket.close();
    const far = messageAt(page, 124).locator('[data-testid="reply-quote"]');
    await until(() => far.textContent()).toContain('an earlier message');
    await far.click();
    await until(() => page.evaluate(() => document.activeElement?.id)).toBe('m-2');
    expect(await messageAt(page, 2).textContent()).toContain('Where shall we meet?');
    await until(() => far.textContent()).toContain(`${ada.name} Where shall we meet?`);
  });
});
