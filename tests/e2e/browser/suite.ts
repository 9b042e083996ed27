/**
 * One wrangler dev and one Chromium per test file, with the hooks every browser test file
 * needs: start both, close each test's contexts (failing it on any uncaught page error), stop.
 */
import type { Frame, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { ApiClient, type E2eUser } from '../client';
import { DevServer } from '../server';
import { Browsers } from './chromium';
import { startHostPage, type HostPage } from './host-page';
import { conversationReady, roomWith, until } from './ui';

export function browserSuite(vars: Record<string, string> = {}) {
  const server = new DevServer(vars);
  const browsers = new Browsers(server);
  const suite = {
    server,
    browsers,
    api: null as unknown as ApiClient,
    /** Two guests, `ada` (who made the room, so its owner) and `bo` (who joined it). */
    async twoGuestsInRoom() {
      const [ada, bo] = await Promise.all([
        suite.api.guest(unique('ada')),
        suite.api.guest(unique('bo')),
      ]);
      return { ada, bo, room: await roomWith(suite.api, ada, bo) };
    },
    /**
     * `twoGuestsInRoom`, each with the room open in their own browser context, socket
     * connected.
     */
    async twoInRoom() {
      const { ada, bo, room } = await suite.twoGuestsInRoom();
      const [a, b] = await Promise.all([
        browsers.open({ as: ada, path: `/c/${room.id}` }),
        browsers.open({ as: bo, path: `/c/${room.id}` }),
      ]);
      await Promise.all([conversationReady(a, room.id), conversationReady(b, room.id)]);
      return { ada, bo, room, a, b };
    },
  };
  beforeAll(async () => {
    await Promise.all([server.start(), browsers.start()]);
    suite.api = new ApiClient(server.url);
  });
  afterEach(async () => {
    const errors = [...browsers.pageErrors];
    await browsers.closeContexts();
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await browsers.stop();
    await server.stop();
  });
  return suite;
}

export const unique = (prefix: string) => `${prefix}${crypto.randomUUID().slice(0, 8)}`;

/**
 * `browserSuite` with a host site on another origin (host-page.ts) for the widget's tests:
 * `host` is that site once the suite has started, `embeddedRoom` a room it may embed.
 */
export function widgetSuite() {
  const suite = browserSuite();
  let started: HostPage | undefined;
  beforeAll(async () => {
    started = await startHostPage(suite.server.url);
  });
  afterAll(() => started?.close());
  const host: HostPage = {
    get origin() {
      return started!.origin;
    },
    get strangerOrigin() {
      return started!.strangerOrigin;
    },
    url: (...args) => started!.url(...args),
    close: () => started!.close(),
  };
  /** A room owned by a new guest, with `members`, embeddable on the host site only. */
  async function embeddedRoom(...members: E2eUser[]) {
    const owner = await suite.api.guest(unique('owner'));
    const room = await roomWith(suite.api, owner, ...members);
    const { status } = await suite.api.call(`/rooms/${room.id}/embed-origins`, {
      method: 'PUT',
      json: { origins: [host.origin] },
      token: owner.token,
    });
    expect(status).toBe(200);
    return { owner, room };
  }
  /**
   * A visitor on the host site with the panel open, chatting (so the conversation shows).
   * `watch` starts on the page before it loads; what it returns is `watched`.
   */
  async function chattingVisitor<T>(roomId: string, watch: (page: Page) => T) {
    const page = await suite.browsers.open({ path: '/favicon.ico' });
    const watched = watch(page);
    await page.goto(host.url(roomId));
    await launcher(page).click();
    const frame = await widgetFrame(page);
    await sendAsNewVisitor(frame, 'Hello from the shop', unique('Visitor '));
    return { page, frame, watched };
  }
  /** `user` uploads `bytes` as `name` and sends it with `text`; resolves with the file's id. */
  async function sendFile(user: E2eUser, roomId: string, bytes: Blob, name: string, text: string) {
    const res = await fetch(
      `${suite.server.url}/api/rooms/${roomId}/files?name=${encodeURIComponent(name)}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${user.token}`,
          'content-type': 'application/octet-stream',
        },
        body: bytes,
      },
    );
    expect(res.status).toBe(201);
    const { file } = (await res.json()) as { file: { id: string } };
    const socket = await suite.api.open(`/rooms/${roomId}/ws`, user.token);
    try {
      const clientId = crypto.randomUUID();
      socket.send({ type: 'send', clientId, text, files: [file.id] });
      await socket.q.take((f) => f.type === 'ack' && f.clientId === clientId, 15_000, 'ack');
    } finally {
      socket.close();
    }
    return file.id;
  }
  return { suite, host, embeddedRoom, chattingVisitor, sendFile };
}

/** The widget's launcher button, in the loader's shadow root on the host page. */
export const launcher = (page: Page) => page.locator('[data-parlor-widget] button.l');

/** The widget's frame (inside the loader's shadow root), once it has loaded something. */
export async function widgetFrame(page: Page): Promise<Frame> {
  let frame: Frame | undefined;
  await until(
    () => (frame = page.frames().find((f) => f.url().includes('/embed/'))) !== undefined,
  ).toBe(true);
  await frame!.waitForLoadState();
  return frame!;
}

/** The texts of the acknowledged messages on screen (pending ones carry no data-seq). */
export const stored = (target: Page | Frame) =>
  target
    .locator('[data-testid="message"][data-seq] [data-testid="message-text"]')
    .allTextContents();

export const inFrame = (frame: Frame, testId: string): Locator =>
  frame.locator(`[data-testid="${testId}"]`);

/** Sends `text` as a new visitor named `name` through the widget's composer. */
export async function sendAsNewVisitor(frame: Frame, text: string, name: string) {
  await inFrame(frame, 'composer-input').fill(text);
  await inFrame(frame, 'visitor-send').click();
  await inFrame(frame, 'visitor-name').fill(name);
  await inFrame(frame, 'visitor-send').click();
  await until(() => stored(frame)).toContain(text);
}
