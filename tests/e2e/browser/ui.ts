/**
 * What the browser tests read from and do to the page, through the client's data-testid
 * hooks, plus the API-side set-up (users, rooms) the tests share.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ApiClient, E2eUser } from '../client';

/** CSP violations a page (its frames included) reports from here on: its console names the policy. */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  return violations;
}

/** Polls `read` until it matches; the page changes on its own time, so never a fixed sleep. */
export function until<T>(read: () => Promise<T> | T, timeout = 15_000) {
  return expect.poll(read, { timeout, interval: 100 });
}

export const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

/** A stored (acknowledged) message of the open conversation, by seq. */
export const messageAt = (page: Page, seq: number) =>
  page.locator(`[data-testid="message"][data-seq="${seq}"]`);

/** The data-seq of every message element of the open conversation, in document order. */
export const messageSeqs = (page: Page) =>
  page
    .locator('[data-testid="message"]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));

/** The text of every message of the open conversation, in document order. */
export const messageTexts = (page: Page) =>
  page.locator('[data-testid="message-text"]').allTextContents();

export const attr = (locator: Locator, name: string) =>
  locator.evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name);

/** The conversation on screen is `roomId` and its socket is open. */
export async function conversationReady(page: Page, roomId: string): Promise<void> {
  await page.locator(`[data-testid="conversation"][data-room-id="${roomId}"]`).waitFor();
  await page.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
}

/** Types into the composer and presses Enter; resolves once the room acknowledged it. */
export async function send(page: Page, text: string): Promise<void> {
  await byTestId(page, 'composer-input').fill(text);
  await byTestId(page, 'composer-input').press('Enter');
  await until(() => byTestId(page, 'composer-input').inputValue()).toBe('');
  // Pending items carry no data-seq; the acknowledged one replaces them.
  await until(() => page.locator('[data-testid="message"][data-status="pending"]').count()).toBe(0);
}

/** A public room created by `owner` through the API, joined by the others. */
export async function roomWith(api: ApiClient, owner: E2eUser, ...others: E2eUser[]) {
  const { status, body } = await api.call('/rooms', {
    json: { name: `e2e ${crypto.randomUUID().slice(0, 8)}` },
    token: owner.token,
  });
  if (status !== 201) throw new Error(`room creation failed: ${status} ${JSON.stringify(body)}`);
  const room = body.room as { id: string; name: string };
  for (const u of others) {
    const joined = await api.call(`/rooms/${room.id}/join`, { json: {}, token: u.token });
    if (joined.status !== 200) throw new Error(`join failed: ${joined.status}`);
  }
  return room;
}

/** Sends `texts` over a `ws` socket as `user`, one after another, each acknowledged. */
export async function sendOverSocket(
  api: ApiClient,
  roomId: string,
  user: E2eUser,
  texts: readonly string[],
): Promise<number[]> {
  const socket = await api.open(`/rooms/${roomId}/ws`, user.token);
  try {
    const ids = texts.map(() => crypto.randomUUID());
    texts.forEach((text, i) => socket.send({ type: 'send', clientId: ids[i], text }));
    const seqs: number[] = [];
    for (const id of ids) {
      const ack = await socket.q.take((f) => f.type === 'ack' && f.clientId === id, 15_000, 'ack');
      seqs.push(ack.seq as number);
    }
    return seqs;
  } finally {
    socket.close();
  }
}

/** Waits until the room's history over HTTP ends at `seq` (D1 lags the room by a copy). */
export async function historyReaches(api: ApiClient, roomId: string, token: string, seq: number) {
  await until(async () => {
    const { body } = await api.call(`/rooms/${roomId}/messages?limit=1`, { token });
    return (body.messages as { seq: number }[]).at(-1)?.seq;
  }).toBe(seq);
}

/**
 * WCAG 2 contrast of an element's text (an SVG's fill) against the background colour of the
 * nearest element that has one.
 */
export const contrast = (page: Page, selector: string) =>
  contrastOf(page.locator(selector).first());

/**
 * WCAG 2 contrast of an element's text (`text`; an SVG's fill) or of its border (`edge`: a
 * field's outline, WCAG 1.4.11) against the background colour of the nearest element that has
 * one (for `edge`, from its parent: what is around it).
 */
export const contrastOf = (locator: Locator, part: 'text' | 'edge' = 'text') =>
  locator.evaluate((el, part) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string) => {
      const [r = 0, g = 0, b = 0] = rgb(c).map((v) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    // The nearest ancestor with a background of its own.
    let node: Element | null = part === 'edge' ? el.parentElement : el;
    let bg = 'rgba(0, 0, 0, 0)';
    while (node && /rgba\(.*, 0\)|transparent/.test((bg = getComputedStyle(node).backgroundColor)))
      node = node.parentElement;
    if (!node) bg = 'rgb(255, 255, 255)';
    const style = getComputedStyle(el);
    const fg =
      part === 'edge' ? style.borderTopColor : el instanceof SVGElement ? style.fill : style.color;
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (a! + 0.05) / (b! + 0.05);
  }, part);
