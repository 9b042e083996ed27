/**
 * What the widget's panel shows of a chat, in real Chromium with the frame third-party (host
 * site http://localhost:<port>, Parlor http://127.0.0.1:<port>): its images as thumbnails
 * that really load for a visitor (whose session is a token, which an `<img>` cannot send) and
 * open full size; the chat's title once; its pinned messages from a "Pinned (N)" button.
 */
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { E2eUser } from '../client';
import {
  inFrame,
  launcher,
  sendAsNewVisitor,
  stored,
  unique,
  widgetFrame,
  widgetSuite,
} from './suite';
import { startHostPage } from './host-page';
import { sendOverSocket, until, watchCsp } from './ui';

const { suite, host, embeddedRoom, chattingVisitor, sendFile } = widgetSuite();
const { browsers } = suite;

/** A real PNG of `width`×`height`, drawn on a canvas by Chromium. */
async function drawPng(page: Page, width: number, height: number): Promise<Blob> {
  const base64 = await page.evaluate(
    ({ width, height }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#3451c7';
      ctx.fillRect(0, 0, width, height);
      return canvas.toDataURL('image/png').split(',')[1]!;
    },
    { width, height },
  );
  return new Blob([Buffer.from(base64, 'base64')], { type: 'application/octet-stream' });
}

/** `user` pins (or unpins) message `seq` on the chat's socket, and the room says so. */
async function pin(user: E2eUser, roomId: string, seq: number, on = true) {
  const socket = await suite.api.open(`/rooms/${roomId}/ws`, user.token);
  try {
    socket.send({ type: 'pin', target: seq, on });
    const kind = on ? 'pinned' : 'unpinned';
    await socket.q.take(
      (f) => f.type === 'notice' && (f.notice as { kind: string }).kind === kind,
      15_000,
      kind,
    );
  } finally {
    socket.close();
  }
}

/** Each thumbnail's image in the frame: whether it loaded, its natural size, its box. */
const thumbnails = (frame: Frame) =>
  frame.locator('[data-testid="attachment-image"]').evaluateAll((buttons) =>
    buttons.map((button) => {
      const img = button.querySelector('img');
      const box = button.getBoundingClientRect();
      return {
        label: button.getAttribute('aria-label'),
        loaded: !!img && img.complete && img.naturalWidth > 0,
        natural: img ? `${img.naturalWidth}x${img.naturalHeight}` : null,
        box: `${Math.round(box.width)}x${Math.round(box.height)}`,
        inside: box.left >= 0 && box.right <= document.documentElement.clientWidth,
      };
    }),
  );

/** Whether the element the frame's keyboard focus is on matches `selector`. */
const focusedIn = (frame: Frame, selector: string) =>
  frame.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

const panel = (page: Page) => page.locator('[data-parlor-widget] [role=dialog]');

describe('images in the widget', () => {
  it('shows them as thumbnails that load for a visitor, sized to the panel, and opens one full size from the keyboard', async () => {
    const { owner, room } = await embeddedRoom();
    const { page, frame, watched: csp } = await chattingVisitor(room.id, watchCsp);
    const png = await drawPng(page, 640, 480);
    const fileId = await sendFile(owner, room.id, png, 'shelf.png', 'look: shelf.png');
    await until(() => stored(frame)).toContain('look: shelf.png');
    // The image itself arrived (fetched with the visitor's token), in a box the panel holds.
    await until(() => thumbnails(frame).then((t) => t.map((x) => x.loaded))).toEqual([true]);
    expect(await thumbnails(frame)).toEqual([
      {
        label: 'View image shelf.png',
        loaded: true,
        natural: '640x480',
        box: '220x165',
        inside: true,
      },
    ]);
    expect(await inFrame(frame, 'attachment-file').count()).toBe(0);

    // Enter on the thumbnail opens the viewer in the frame; Escape closes it, not the panel.
    const thumb = inFrame(frame, 'attachment-image');
    await thumb.focus();
    await thumb.press('Enter');
    const viewer = inFrame(frame, 'image-viewer');
    await until(() => viewer.isVisible()).toBe(true);
    expect(await viewer.locator('h2').textContent()).toBe('shelf.png');
    await until(() =>
      inFrame(frame, 'image-viewer-image').evaluate(
        (img) =>
          `${(img as HTMLImageElement).naturalWidth}x${(img as HTMLImageElement).naturalHeight}`,
      ),
    ).toBe('640x480');
    // All of it inside the narrow frame's dialog, within its padding.
    expect(
      await inFrame(frame, 'image-viewer-image').evaluate((img) => {
        const box = img.getBoundingClientRect();
        const body = img.closest('.dialog-body')!;
        const inner =
          body.getBoundingClientRect().right - parseFloat(getComputedStyle(body).paddingRight);
        return box.width > 200 && box.right <= inner;
      }),
    ).toBe(true);
    const download = viewer.getByRole('link', { name: 'Download' });
    expect(await download.getAttribute('download')).toBe('shelf.png');
    expect(await download.getAttribute('href')).toMatch(/^blob:/);
    await frame.locator('dialog[data-testid="image-viewer"]').press('Escape');
    await until(() => inFrame(frame, 'image-viewer').count()).toBe(0);
    expect(await panel(page).isVisible()).toBe(true);
    expect(await focusedIn(frame, '[data-testid="attachment-image"]')).toBe(true);

    // From history after a reload too, and with no CSP violation on the way.
    await page.reload();
    await launcher(page).click();
    const again = await widgetFrame(page);
    await until(() => thumbnails(again).then((t) => t.map((x) => x.loaded))).toEqual([true]);
    expect(
      await again.locator('[data-testid="attachment-image"]').getAttribute('data-file-id'),
    ).toBe(fileId);
    expect(csp).toEqual([]);
  });
});

/** The frame's headings a person sees (drawn wider than the 1px of a screen-reader-only one). */
const visibleHeadings = (frame: Frame) =>
  frame
    .locator('h2')
    .evaluateAll((hs) =>
      hs.filter((h) => h.getBoundingClientRect().width > 1).map((h) => h.textContent),
    );

describe('opening the widget from the keyboard', () => {
  it('puts the keyboard in the composer, the first time and again after Escape', async () => {
    const { room } = await embeddedRoom();
    const page = await suite.browsers.open({ path: '/favicon.ico' });
    await page.goto(host.url(room.id));
    await launcher(page).focus();
    await page.keyboard.press('Enter');
    const frame = await widgetFrame(page);
    await until(() => focusedIn(frame, '#composer-input')).toBe(true);
    await page.keyboard.press('Escape');
    await until(() => panel(page).isVisible()).toBe(false);
    await page.keyboard.press('Enter');
    await until(() => focusedIn(frame, '#composer-input')).toBe(true);
  });
});

describe('the widget on a page with hostile styles', () => {
  it('keeps the launcher in the window’s corner, above the page’s overlay, in its own styles', async () => {
    const { room } = await embeddedRoom();
    const page = await suite.browsers.open({ path: '/favicon.ico' });
    // A transformed, tall <body> (fixed children then follow it, not the window), a full-window
    // overlay at the highest z-index, every div hidden, and text styles that inherit.
    const css =
      'body{transform:translateZ(0);min-height:3000px;letter-spacing:8px;text-transform:uppercase;direction:rtl}' +
      'div{display:none!important}' +
      '#cover{position:fixed;inset:0;z-index:2147483647;background:#0001}';
    const before = `const s=document.createElement('style');s.textContent=${JSON.stringify(css)};document.head.append(s);const c=document.createElement('section');c.id='cover';document.body.append(c);`;
    await page.goto(host.url(room.id, { before }));
    await launcher(page).waitFor();
    const placed = await launcher(page).evaluate((button) => {
      const box = button.getBoundingClientRect();
      const x = box.left + box.width / 2;
      const y = box.top + box.height / 2;
      return {
        right: Math.round(innerWidth - box.right),
        bottom: Math.round(innerHeight - box.bottom),
        // The shadow host is what the page sees at that point when the launcher is on top.
        onTop: document.elementFromPoint(x, y) === (button.getRootNode() as ShadowRoot).host,
      };
    });
    expect(placed).toEqual({ right: 20, bottom: 20, onTop: true });
    await launcher(page).click();
    await until(() => panel(page).isVisible()).toBe(true);
    const bar = await page.locator('[data-parlor-widget] .h span').evaluate((name) => {
      const style = getComputedStyle(name);
      return [style.letterSpacing, style.textTransform, style.direction];
    });
    expect(bar).toEqual(['normal', 'none', 'ltr']);
  });
});

describe("the chat's title in the widget", () => {
  it('is shown once, in the panel’s bar, which names the dialog; inline, the frame shows it', async () => {
    const { room } = await embeddedRoom();
    const page = await browsers.open({ path: '/favicon.ico' });
    await page.goto(host.url(room.id));
    await launcher(page).click();
    const frame = await widgetFrame(page);
    await until(() => panel(page).getAttribute('aria-label')).toBe(room.name);
    /** The title as a person sees it: the bar's text, and the frame's heading if drawn. */
    const seen = async () => ({
      bar: await page.locator('[data-parlor-widget] .h span').textContent(),
      frameHeadings: await visibleHeadings(frame),
      // Still the name of the frame's section, for a screen reader inside it.
      named: await frame
        .locator('section[aria-labelledby="conversation-title"] #conversation-title')
        .textContent(),
    });
    await inFrame(frame, 'visitor-send').waitFor();
    await until(seen).toEqual({ bar: room.name, frameHeadings: [], named: room.name });
    // Once chatting, the conversation's header does not repeat it either.
    await sendAsNewVisitor(frame, 'Hello', unique('Visitor '));
    expect(await seen()).toEqual({ bar: room.name, frameHeadings: [], named: room.name });

    // Inline there is no bar: the frame's own header shows the title, the room's name, which
    // also names the region and the frame.
    const inline = await browsers.open({ path: '/favicon.ico' });
    await inline.goto(host.url(room.id, { mode: 'inline', target: '#chat-here' }));
    const inlineFrame = await widgetFrame(inline);
    await inFrame(inlineFrame, 'visitor-send').waitFor();
    expect(await inline.locator('[data-parlor-widget] .h').count()).toBe(0);
    await until(() => visibleHeadings(inlineFrame)).toEqual([room.name]);
    const region = inline.locator('[data-parlor-widget] [role=region]');
    expect(await region.getAttribute('aria-label')).toBe(room.name);
    expect(await region.locator('iframe').getAttribute('title')).toBe(room.name);
    await sendAsNewVisitor(inlineFrame, 'Hello inline', unique('Visitor '));
    expect(await visibleHeadings(inlineFrame)).toEqual([room.name]);
  });

  it('is the room’s name on a site of the same host on another port (same-site, cross-origin)', async () => {
    // Parlor as http://localhost:<port>, the site http://localhost:<other port>: Chromium
    // sends `Origin` on the loader's fetch (mode cors) all the same, and the list admits it.
    const parlor = `http://localhost:${new URL(suite.server.url).port}`;
    const sameSite = await startHostPage(parlor);
    try {
      const { owner, room } = await embeddedRoom();
      const listed = await suite.api.call(`/rooms/${room.id}/embed-origins`, {
        method: 'PUT',
        json: { origins: [sameSite.origin] },
        token: owner.token,
      });
      expect(listed.status).toBe(200);
      const page = await browsers.open({ path: '/favicon.ico' });
      const asked = page.waitForRequest((req) => req.url() === `${parlor}/api/embed/${room.id}`);
      await page.goto(sameSite.url(room.id));
      expect(await (await asked).headerValue('origin')).toBe(sameSite.origin);
      await until(() => page.locator('[data-parlor-widget] .h span').textContent()).toBe(room.name);
      expect(await panel(page).getAttribute('aria-label')).toBe(room.name);
    } finally {
      await sameSite.close();
    }
  });
});

describe('pinned messages in the widget', () => {
  it('shows "Pinned (N)" while something is pinned, lists them and shows one in the chat, from the keyboard', async () => {
    const { owner, room } = await embeddedRoom();
    const { page, frame } = await chattingVisitor(room.id, () => null);
    // Nothing pinned: no button.
    await inFrame(frame, 'conversation').waitFor();
    expect(await inFrame(frame, 'pins-open').count()).toBe(0);

    const [rules = 0] = await sendOverSocket(suite.api, room.id, owner, [
      'Opening hours: 9 to 6, Monday to Saturday',
      'Returns within 30 days',
    ]);
    await until(() => stored(frame)).toContain('Returns within 30 days');
    await pin(owner, room.id, rules);
    // Live: the room's notice makes the panel read the list again.
    const open = frame.getByRole('button', { name: 'Pinned (1)' });
    await until(() => open.count()).toBe(1);

    await open.focus();
    await open.press('Enter');
    const dialog = frame.getByRole('dialog', { name: 'Pinned messages' });
    await until(() => dialog.isVisible()).toBe(true);
    const items = dialog.locator('[data-testid="pin"]');
    await until(() => items.count()).toBe(1);
    expect(await items.getAttribute('data-seq')).toBe(String(rules));
    expect(await items.locator('.pin-text').textContent()).toBe(
      'Opening hours: 9 to 6, Monday to Saturday',
    );
    // A visitor cannot unpin.
    expect(await dialog.getByRole('button', { name: 'Unpin' }).count()).toBe(0);
    // Escape closes the list, not the panel; focus goes back to the button.
    await dialog.press('Escape');
    await until(() => dialog.count()).toBe(0);
    expect(await panel(page).isVisible()).toBe(true);
    expect(await focusedIn(frame, '[data-testid="pins-open"]')).toBe(true);

    // "Show in chat" closes the list and brings the message into view, marked.
    await open.press('Enter');
    const show = dialog.getByRole('button', { name: 'Show in chat' });
    await show.focus();
    await show.press('Enter');
    await until(() => dialog.count()).toBe(0);
    const message = frame.locator(`[data-testid="message"][data-seq="${rules}"]`);
    await until(() => message.evaluate((el) => el.classList.contains('highlighted'))).toBe(true);
    expect(await message.locator('[data-testid="pinned-mark"]').count()).toBe(1);
    // Home and End move through the panel's messages as in the app.
    await inFrame(frame, 'message-list').focus();
    await frame.locator('[data-testid="message-list"]').press('End');
    const focusedSeq = () =>
      frame.evaluate(() => document.activeElement?.getAttribute('data-seq') ?? null);
    await until(focusedSeq).not.toBe(null);
    const newest = await focusedSeq();
    // The list's items: its messages and notices (the pins' among them), in order.
    const seqs = await frame
      .locator('[data-testid="message"], li.notice[tabindex]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-seq')));
    expect(newest).toBe(seqs.at(-1));
    await frame.locator('[data-testid="message-list"]').press('Home');
    await until(focusedSeq).toBe(seqs[0]);
    expect(seqs.length).toBeGreaterThan(1);

    // Unpinned: the button goes.
    await pin(owner, room.id, rules, false);
    await until(() => inFrame(frame, 'pins-open').count()).toBe(0);

    // Pinned again, then deleted (its delete event, not a notice, takes it off the list).
    await pin(owner, room.id, rules);
    await until(() => open.count()).toBe(1);
    const socket = await suite.api.open(`/rooms/${room.id}/ws`, owner.token);
    try {
      socket.send({ type: 'delete', target: rules });
      await socket.q.take((f) => f.type === 'delete', 15_000, 'delete');
    } finally {
      socket.close();
    }
    await until(() => inFrame(frame, 'pins-open').count()).toBe(0);
  });
});
