/**
 * What a widget user meets in the chat as an app user does, in real Chromium with the frame
 * third-party (host site http://localhost:<port>, Parlor http://127.0.0.1:<port>): the room's
 * slow mode, counted down in the panel, with no request of the panel refused on the way;
 * other files than images, downloaded with the visitor's token (a link cannot send it); the
 * newest message in view however the panel was opened.
 */
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { inFrame, launcher, stored, widgetFrame, widgetSuite } from './suite';
import { historyReaches, sendOverSocket, until } from './ui';

const { suite, embeddedRoom, chattingVisitor, sendFile } = widgetSuite();

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

describe('slow mode in the widget', () => {
  it('says so and counts down after a send, as in the app, with no request refused', async () => {
    const { owner, room } = await embeddedRoom();
    const { frame, watched: refused } = await chattingVisitor(room.id, refusals);
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

describe('mentions in the widget', () => {
  it('offers @here without asking for the room’s members, a search its session may not make', async () => {
    const { room } = await embeddedRoom();
    const { frame, watched: refused } = await chattingVisitor(room.id, refusals);
    const input = inFrame(frame, 'composer-input');
    await input.pressSequentially('thanks @h');
    const options = frame.locator('[data-testid="mention-option"]');
    await until(() => options.count()).toBe(1);
    expect(await options.textContent()).toContain('@here');
    await input.press('Escape');
    await input.fill('');
    expect(refused).toEqual([]);
  });
});

describe('other files in the widget', () => {
  it('downloads one from its card, from the keyboard, with its name and bytes', async () => {
    const { owner, room } = await embeddedRoom();
    const { page, frame, watched: refused } = await chattingVisitor(room.id, refusals);
    const bytes = 'Opening hours\nMonday to Saturday, 9 to 6\n';
    const fileId = await sendFile(owner, room.id, new Blob([bytes]), 'hours.txt', 'our hours');
    await until(() => stored(frame)).toContain('our hours');

    const card = frame.getByRole('button', { name: 'Download hours.txt, Text, 41 bytes' });
    await until(() => card.count()).toBe(1);
    expect(await card.getAttribute('data-file-id')).toBe(fileId);
    await card.focus();
    const [download] = await Promise.all([page.waitForEvent('download'), card.press('Enter')]);
    expect(download.suggestedFilename()).toBe('hours.txt');
    const saved = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of saved) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(bytes);
    expect(await frame.locator('.file-failed').count()).toBe(0);
    expect(refused).toEqual([]);
  });
});

/** How far the panel's message list is from its bottom, in pixels (0: the newest in view). */
const belowView = (frame: Frame) =>
  inFrame(frame, 'message-list').evaluate((el) =>
    Math.round(el.scrollHeight - el.scrollTop - el.clientHeight),
  );

/** Messages of five lines each, enough to overflow the panel. */
const tall = (tag: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) => `${tag} ${i + 1}\nline two\nline three\nline four\nline five`,
  );

describe('the widget at its newest message', () => {
  it('opened again after messages came while it was closed, shows the newest', async () => {
    const { owner, room } = await embeddedRoom();
    const { page, frame } = await chattingVisitor(room.id, () => null);
    await sendOverSocket(suite.api, room.id, owner, tall('Before', 5));
    await until(() => stored(frame)).toContain(
      'Before 5\nline two\nline three\nline four\nline five',
    );
    await until(() => belowView(frame)).toBe(0);

    await launcher(page).click();
    await until(() => page.locator('[data-parlor-widget] [role=dialog]').isVisible()).toBe(false);
    // While closed (the panel not displayed), the frame's socket takes them in.
    await sendOverSocket(suite.api, room.id, owner, tall('While closed', 5));
    const newest = 'While closed 5\nline two\nline three\nline four\nline five';
    await until(() => stored(frame)).toContain(newest);
    await launcher(page).click();
    await until(() => belowView(frame)).toBe(0);
    const last = frame.locator('[data-testid="message"][data-seq]').last();
    expect(await last.locator('[data-testid="message-text"]').textContent()).toBe(newest);
  });

  it('keeps the newest in view when the slow-mode line appears over the composer', async () => {
    const { owner, room } = await embeddedRoom();
    const { page } = await chattingVisitor(room.id, () => null);
    const seqs = await sendOverSocket(suite.api, room.id, owner, tall('Earlier', 6));
    const slow = await suite.api.call(`/rooms/${room.id}/slow-mode`, {
      method: 'PUT',
      json: { seconds: 30 },
      token: owner.token,
    });
    expect(slow.status).toBe(200);
    await historyReaches(suite.api, room.id, owner.token, seqs.at(-1)!);
    // Opened anew: the list is placed first, the room's rules (and so the line) come after.
    await page.reload();
    await launcher(page).click();
    const frame = await widgetFrame(page);
    await inFrame(frame, 'slow-mode').waitFor();
    await until(() => belowView(frame)).toBe(0);
  });
});
