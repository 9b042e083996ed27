/**
 * What a widget user meets in the chat as an app user does, in real Chromium with the frame
 * third-party (host site http://localhost:<port>, Parlor http://127.0.0.1:<port>): the room's
 * slow mode, counted down in the panel, with no request of the panel refused on the way.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { inFrame, launcher, sendAsNewVisitor, unique, widgetFrame, widgetSuite } from './suite';
import { until } from './ui';

const { suite, host, embeddedRoom } = widgetSuite();
const { browsers } = suite;

/**
 * What went wrong on the way, from here on: every answer of Parlor's with an error status
 * (the frame's requests included) and every console error of the page and its frames.
 */
function refusals(page: Page): string[] {
  const seen: string[] = [];
  page.on('response', (res) => {
    if (res.url().startsWith(suite.server.url) && res.status() >= 400) {
      seen.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
    }
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.push(`console: ${msg.text()}`);
  });
  return seen;
}

/** A visitor on the host site with the panel open, chatting (so the conversation shows). */
async function chattingVisitor(roomId: string) {
  const page = await browsers.open({ path: '/favicon.ico' });
  const refused = refusals(page);
  await page.goto(host.url(roomId));
  await launcher(page).click();
  const frame = await widgetFrame(page);
  await sendAsNewVisitor(frame, 'Hello from the shop', unique('Visitor '));
  return { page, frame, refused };
}

describe('slow mode in the widget', () => {
  it('says so and counts down after a send, as in the app, with no request refused', async () => {
    const { owner, room } = await embeddedRoom();
    const { frame, refused } = await chattingVisitor(room.id);
    await inFrame(frame, 'conversation').waitFor();

    const set = await suite.api.call(`/rooms/${room.id}/slow-mode`, {
      method: 'PUT',
      json: { seconds: 30 },
      token: owner.token,
    });
    expect(set.status).toBe(200);
    // Learnt live from the room's notice, which makes the panel read the room's rules again.
    await until(() => inFrame(frame, 'slow-mode').textContent()).toBe(
      'Slow mode: one message every 30 s. ',
    );
    await inFrame(frame, 'composer-input').fill('And one more thing');
    await inFrame(frame, 'composer-input').press('Enter');
    await until(() => inFrame(frame, 'slow-mode-countdown').textContent()).toMatch(
      /^You can send again in (30|29|28|27|26|25) s\.$/,
    );
    expect(refused).toEqual([]);
  });
});
