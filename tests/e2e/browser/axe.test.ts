/**
 * An automated accessibility check (axe-core, WCAG 2.2 A and AA rules) of Parlor's screens in
 * real Chromium, in both themes: signed out, a conversation with every kind of message, the
 * room's settings, a profile card, search, and the widget on another site's page.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stored, widgetSuite } from './suite';
import { byTestId, contrastOf, conversationReady, sendOverSocket, until } from './ui';

const { suite, embeddedRoom, chattingVisitor } = widgetSuite();
const { browsers } = suite;

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

interface Finding {
  rule: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** axe's violations on the page (or frame) as it is now, WCAG 2.2 A and AA rules only. */
async function violations(page: Page | Frame): Promise<Finding[]> {
  // Evaluated through the debugging protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'],
      },
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
      })),
    }));
  });
}

/**
 * Fields whose edge is under 3:1 against what is behind them (WCAG 1.4.11; axe checks text
 * only): for a text field the edge is what shows where to type.
 */
async function faintFields(page: Page | Frame) {
  const fields = page.locator(
    'input:not([type=checkbox]):not([type=radio]):not([type=file]):not([type=hidden]), textarea, select',
  );
  const faint: { field: string; ratio: number }[] = [];
  for (let i = 0; i < (await fields.count()); i += 1) {
    const field = fields.nth(i);
    if (!(await field.isVisible())) continue;
    const ratio = await contrastOf(field, 'edge');
    if (ratio >= 3) continue;
    const name = (await field.getAttribute('id')) ?? (await field.getAttribute('data-testid'));
    faint.push({ field: name ?? 'a field', ratio });
  }
  return faint;
}

describe.each(['light', 'dark'] as const)('accessibility in the %s theme', (colorScheme) => {
  it('signed out: the sign-in page', async () => {
    const page = await browsers.open({ path: '/', colorScheme });
    await page.locator('form').first().waitFor();
    expect(await violations(page)).toEqual([]);
    expect(await faintFields(page)).toEqual([]);
  });

  it('a conversation, its settings, a profile card, its pins, the shortcuts and search', async () => {
    const { ada, bo, room } = await suite.twoGuestsInRoom();
    const [a, b] = await Promise.all([
      browsers.open({ as: ada, path: `/c/${room.id}`, colorScheme }),
      browsers.open({ as: bo, path: `/c/${room.id}`, colorScheme }),
    ]);
    await Promise.all([conversationReady(a, room.id), conversationReady(b, room.id)]);
    // Every kind of message: formatting, a link, a mention of the reader, a code block, a
    // quote and a list, a reply, a reaction, a pin.
    const [first] = await sendOverSocket(suite.api, room.id, ada, [
      `**bold** _it_ ~~old~~ \`x<y\` see www.example.org <@${bo.id}>`,
      '```js\nconst a = 1;\n```',
      '> quoted\n\n- one\n- two',
    ]);
    const socket = await suite.api.open(`/rooms/${room.id}/ws`, ada.token);
    socket.send({ type: 'send', clientId: crypto.randomUUID(), text: 'a reply', replyTo: first });
    socket.send({ type: 'react', target: first, emoji: '👍', on: true });
    socket.send({ type: 'pin', target: first, on: true });
    await until(() => b.locator('[data-testid="message"][data-seq]').count()).toBe(4);
    await until(() => b.locator('[data-testid="pinned-mark"]').count()).toBe(1);
    socket.close();
    expect(await violations(b)).toEqual([]);

    await byTestId(a, 'room-settings-open').click();
    await a.locator('dialog[open] [data-testid="room-member"]').first().waitFor();
    expect(await violations(a)).toEqual([]);
    await a.keyboard.press('Escape');
    await until(() => a.locator('dialog[open]').count()).toBe(0);

    // The members dialog as the owner adds someone (the name box and what it found).
    await byTestId(a, 'add-people').click();
    await byTestId(a, 'room-add-person').fill(bo.name);
    await byTestId(a, 'person-add').first().waitFor();
    await until(() => byTestId(a, 'member').count()).toBe(2);
    expect(await violations(a)).toEqual([]);

    await b.locator(`[data-testid="message-author"][data-user-id="${ada.id}"]`).first().click();
    await byTestId(b, 'profile-card').waitFor();
    expect(await violations(b)).toEqual([]);
    await b.keyboard.press('Escape');
    await until(() => b.locator('dialog[open]').count()).toBe(0);

    await byTestId(b, 'pins-open').click();
    await byTestId(b, 'pins-dialog').waitFor();
    expect(await violations(b)).toEqual([]);
    await b.keyboard.press('Escape');
    await until(() => b.locator('dialog[open]').count()).toBe(0);

    // The shortcut may land while focus is still coming back from the pins dialog: pressed
    // again until the list opens (never once it is open, which would close it).
    const shortcuts = byTestId(b, 'shortcuts');
    await until(async () => {
      if (!(await shortcuts.isVisible())) await b.keyboard.press('Control+/');
      return shortcuts.isVisible();
    }).toBe(true);
    expect(await violations(b)).toEqual([]);
    await b.keyboard.press('Escape');
    await until(() => b.locator('dialog[open]').count()).toBe(0);

    await b.keyboard.press('Control+k');
    await byTestId(b, 'search-box').fill('bold');
    await until(() => b.locator('dialog[open] mark, dialog[open] li').count()).not.toBe(0);
    expect(await violations(b)).toEqual([]);
  });

  it("the account's dialogs and menus, and a chat on a phone", async () => {
    const { ada, room } = await suite.twoGuestsInRoom();
    await sendOverSocket(suite.api, room.id, ada, ['something to react to']);
    const page = await browsers.open({ as: ada, path: `/c/${room.id}`, colorScheme });
    await conversationReady(page, room.id);
    // Each opened from its button, checked open, closed with Escape.
    for (const [button, shown] of [
      ['settings-button', 'dialog[open]'],
      ['profile-button', 'dialog[open]'],
      ['browse-rooms-button', 'dialog[open]'],
      ['find-people-button', 'dialog[open]'],
      ['new-room-button', 'dialog[open]'],
      ['notify-level', '[data-testid="notify-all"]'],
      ['dnd-button', '[data-testid="dnd-hour"]'],
    ] as const) {
      await byTestId(page, button).click();
      await page.locator(shown).first().waitFor();
      expect({ button, found: await violations(page) }).toEqual({ button, found: [] });
      expect({ button, faint: await faintFields(page) }).toEqual({ button, faint: [] });
      await page.keyboard.press('Escape');
      await until(() => page.locator(shown).count()).toBe(0);
    }
    const message = page.locator('[data-testid="message"][data-seq]').first();
    await message.hover();
    await message.locator('[data-testid="message-react"]').click();
    await page.locator('[data-testid="react-choice"]').first().waitFor();
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press('Escape');

    const phone = await browsers.open({
      as: ada,
      path: `/c/${room.id}`,
      colorScheme,
      viewport: { width: 375, height: 740 },
    });
    await conversationReady(phone, room.id);
    expect(await violations(phone)).toEqual([]);
  });

  it('the widget on another site', async () => {
    const { room } = await embeddedRoom();
    const { page, frame } = await chattingVisitor(room.id, () => null);
    await page.emulateMedia({ colorScheme });
    await until(() => stored(frame)).toContain('Hello from the shop');
    expect(await violations(frame)).toEqual([]);
  });
});
