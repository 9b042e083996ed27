/**
 * Real Chromium: one person pastes a screenshot or drops an image into the chat, the other
 * sees its thumbnail arrive live (the image really served to them), and opens and closes
 * the viewer from the keyboard.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from './chromium';
import { browserSuite } from './suite';
import { byTestId, conversationReady, until, watchCsp } from './ui';

const suite = browserSuite();

/**
 * A DataTransfer in the page holding a real PNG drawn on a canvas (`width`×`height`), as a
 * screenshot on the clipboard or a file dragged from the desktop would be.
 */
function pngTransfer(page: Page, name: string, width: number, height: number) {
  return page.evaluateHandle(
    async ({ name, width, height }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#3451c7';
      ctx.fillRect(0, 0, width, height);
      ctx.fillStyle = '#ffc078';
      ctx.fillRect(width / 4, height / 4, width / 2, height / 2);
      const blob = await new Promise<Blob>((resolve) =>
        canvas.toBlob((b) => resolve(b!), 'image/png'),
      );
      const transfer = new DataTransfer();
      transfer.items.add(new File([blob], name, { type: 'image/png' }));
      return transfer;
    },
    { name, width, height },
  );
}

/** The thumbnails of the last message, each with whether its image has really loaded. */
const thumbnails = (page: Page) =>
  page
    .locator('[data-testid="message"]')
    .last()
    .locator('[data-testid="attachment-image"] img')
    .evaluateAll((imgs) =>
      (imgs as HTMLImageElement[]).map((img) => ({
        alt: img.alt,
        loaded: img.complete && img.naturalWidth > 0,
        natural: `${img.naturalWidth}x${img.naturalHeight}`,
      })),
    );

/** A paste into the composer, as Chromium fires it for a screenshot on the clipboard. */
async function paste(page: Page, name: string, width: number, height: number) {
  const clipboard = await pngTransfer(page, name, width, height);
  await byTestId(page, 'composer-input').evaluate((box, data) => {
    box.focus();
    box.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, clipboard);
}

async function sendAttached(page: Page, text: string) {
  await until(() => page.locator('[data-testid="upload"][data-status="done"]').count()).toBe(1);
  await byTestId(page, 'composer-input').fill(text);
  await byTestId(page, 'composer-input').press('Enter');
  await until(() => byTestId(page, 'upload').count()).toBe(0);
  await until(() => page.locator('[data-testid="message"][data-status="pending"]').count()).toBe(0);
}

describe('images in the chat', () => {
  it('pastes a screenshot; the other person sees its thumbnail live', async () => {
    const { a, b } = await suite.twoInRoom();
    const violations = [a, b].map(watchCsp);
    await paste(a, 'image.png', 160, 90);
    await until(() =>
      a.locator('[data-testid="upload"]').evaluateAll((els) => els.map((e) => e.dataset.name)),
    ).toEqual(['image.png']);
    // A pasted image is not pasted as text too.
    expect(await byTestId(a, 'composer-input').inputValue()).toBe('');
    await sendAttached(a, 'my screen');

    await until(() => thumbnails(b)).toEqual([
      { alt: 'image.png', loaded: true, natural: '160x90' },
    ]);
    await until(() => thumbnails(a)).toEqual([
      { alt: 'image.png', loaded: true, natural: '160x90' },
    ]);
    const last = b.locator('[data-testid="message"]').last();
    expect(await last.locator('[data-testid="message-text"]').textContent()).toBe('my screen');
    // Served from Parlor's own origin under the app's CSP (img-src 'self'): nothing refused.
    expect(violations.flat()).toEqual([]);
  });

  it('takes an image dropped on the conversation; the other sees it live', async () => {
    const { a, b } = await suite.twoInRoom();
    const dropped = await pngTransfer(a, 'diagram.png', 640, 480);
    const conversation = byTestId(a, 'conversation');
    await conversation.dispatchEvent('dragenter', { dataTransfer: dropped });
    await conversation.dispatchEvent('dragover', { dataTransfer: dropped });
    await byTestId(a, 'drop-overlay').waitFor();
    await conversation.dispatchEvent('drop', { dataTransfer: dropped });
    await until(() => byTestId(a, 'drop-overlay').count()).toBe(0);
    await sendAttached(a, '');

    await until(() => thumbnails(b)).toEqual([
      { alt: 'diagram.png', loaded: true, natural: '640x480' },
    ]);
    // Scaled by the browser into the 320×240 box, the original's shape kept.
    const box = await b.locator('[data-testid="attachment-image"]').last().boundingBox();
    expect([Math.round(box!.width), Math.round(box!.height)]).toEqual([320, 240]);
  });

  it('fits thumbnails and file cards in a 320px phone’s message column, the page never wider', async () => {
    const { ada, bo, room } = await suite.twoGuestsInRoom();
    const a = await suite.browsers.open({ as: ada, path: `/c/${room.id}` });
    await conversationReady(a, room.id);
    await paste(a, 'wide.png', 640, 480);
    await sendAttached(a, 'a wide one');
    await byTestId(a, 'file-input').setInputFiles([
      { name: `${'minutes-'.repeat(8)}.txt`, mimeType: 'text/plain', buffer: Buffer.from('ok\n') },
    ]);
    await sendAttached(a, 'and a card');

    for (const width of [320, 375]) {
      const b = await suite.browsers.open({
        as: bo,
        path: `/c/${room.id}`,
        viewport: { width, height: 640 },
      });
      await conversationReady(b, room.id);
      const image = b.locator('[data-testid="attachment-image"] img');
      await until(() =>
        image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      ).toBe(640);
      await b.locator('[data-testid="attachment-file"]').waitFor();
      const files = await b
        .locator('[data-testid="attachment-image"], [data-testid="attachment-file"]')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
      expect(files.map((r) => r.left >= 0 && r.right <= width)).toEqual([true, true]);
      expect(await b.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
    }
  });

  it('opens the viewer from the keyboard, labelled with the file, and Escape closes it', async () => {
    const { a, b } = await suite.twoInRoom();
    await paste(a, 'holiday.png', 200, 100);
    await sendAttached(a, 'look');
    await until(() => thumbnails(b)).toEqual([
      { alt: 'holiday.png', loaded: true, natural: '200x100' },
    ]);

    const thumb = b.locator('[data-testid="attachment-image"]').last();
    expect(await thumb.getAttribute('aria-label')).toBe('View image holiday.png');
    await thumb.focus();
    await b.keyboard.press('Enter');
    const viewer = byTestId(b, 'image-viewer');
    await viewer.waitFor();
    expect(await viewer.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    const labelledBy = await viewer.getAttribute('aria-labelledby');
    expect(await b.locator(`#${labelledBy}`).textContent()).toBe('holiday.png');
    await until(() =>
      byTestId(b, 'image-viewer-image').evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBe(200);

    await b.keyboard.press('Escape');
    await until(() => byTestId(b, 'image-viewer').count()).toBe(0);
    // Focus is back on the thumbnail it was opened from.
    await until(() =>
      b.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null),
    ).toBe('attachment-image');
  });

  it('shows another file as a card with its name, type and size, and lets an upload be removed', async () => {
    const { a, b } = await suite.twoInRoom();
    await byTestId(a, 'file-input').setInputFiles([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('remember the milk\n') },
    ]);
    await sendAttached(a, 'notes attached');
    const card = b.locator('[data-testid="attachment-file"]').last();
    await card.waitFor();
    expect(await card.getAttribute('aria-label')).toBe('Download notes.txt, Text, 18 bytes');
    expect(await card.getAttribute('download')).toBe('notes.txt');

    // A refused file says why in the tray; removing it leaves nothing to send.
    await byTestId(a, 'file-input').setInputFiles([
      { name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<html><b>hi</b></html>') },
    ]);
    const failed = a.locator('[data-testid="upload"][data-status="failed"]');
    await failed.waitFor();
    expect(await failed.textContent()).toContain('not accepted');
    expect(await byTestId(a, 'send-button').isDisabled()).toBe(true);
    await failed.locator('[data-testid="upload-remove"]').click();
    await until(() => byTestId(a, 'upload').count()).toBe(0);
  });

  it('shows an upload’s progress while it goes, and cancels it', async () => {
    const { a } = await suite.twoInRoom();
    // A slow uplink (50 KB/s), so the 2 MB upload is still going while the test looks.
    const cdp = await a.context().newCDPSession(a);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 50_000,
    });
    await byTestId(a, 'file-input').setInputFiles([
      // A right-to-left override would show this as "bigtxt.exe": the tray shows the name as
      // the server will store it, without the override.
      { name: 'big\u202Eexe.txt', mimeType: 'text/plain', buffer: Buffer.alloc(2_000_000, 'a') },
    ]);
    const progress = byTestId(a, 'upload-progress');
    await progress.waitFor();
    expect(await progress.getAttribute('aria-label')).toBe('Uploading bigexe.txt');
    await until(() => progress.evaluate((p) => (p as HTMLProgressElement).value)).toBeGreaterThan(
      0,
    );
    expect(await byTestId(a, 'upload').getAttribute('data-status')).toBe('uploading');
    expect(await byTestId(a, 'send-button').isDisabled()).toBe(true);
    const cancel = byTestId(a, 'upload-remove');
    expect(await cancel.getAttribute('aria-label')).toBe('Cancel upload of bigexe.txt');
    await cancel.click();
    await until(() => byTestId(a, 'upload').count()).toBe(0);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
  });
});
