/**
 * Group DMs in real Chromium: one person picks two others in the people finder, all three
 * talk live, and a fourth who opens the group's address sees nothing of it.
 */
import { describe, expect, it } from 'vitest';
import { type Page } from './chromium';
import { browserSuite, unique } from './suite';
import { byTestId, contrastOf, conversationReady, messageTexts, send, until } from './ui';

const isolated = (name: string) => `\u2068${name}\u2069`;

const suite = browserSuite();
const { browsers } = suite;
const chatItem = (page: Page, roomId: string) =>
  page.locator(`[data-testid="chat-item"][data-room-id="${roomId}"]`);

/** Ticks the person's checkbox in the finder, by keyboard (Space on the focused box). */
async function pick(page: Page, name: string, id: string) {
  await byTestId(page, 'people-search').fill(name);
  const box = page.locator(`[data-testid="person-pick"][data-user-id="${id}"]`);
  await box.focus();
  await box.press('Space');
  await until(() => box.isChecked()).toBe(true);
}

describe('group DMs', () => {
  it('are started from the finder by picking people; all three talk live; a fourth is refused', async () => {
    const [ana, ben, cy, dee] = await Promise.all([
      suite.api.guest(unique('ana')),
      suite.api.guest(unique('ben')),
      suite.api.guest(unique('cy')),
      suite.api.guest(unique('dee')),
    ]);
    const [a, b, c] = await Promise.all([
      browsers.open({ as: ana }),
      browsers.open({ as: ben }),
      browsers.open({ as: cy }),
    ]);
    await Promise.all([a, b, c].map((p) => conversationReady(p, 'global')));
    const groupId = `dm:${[ana.id, ben.id, cy.id].sort().join(':')}`;

    await byTestId(a, 'find-people-button').click();
    // The checkbox is named for its person, so a screen reader says whom it adds.
    await pick(a, ben.name, ben.id);
    const benBox = a.locator(`[data-testid="person-pick"][data-user-id="${ben.id}"]`);
    expect(await a.getByLabel(`Add to group: ${ben.name}`).getAttribute('id')).toBe(
      await benBox.getAttribute('id'),
    );
    // One person is not a group yet.
    expect(await byTestId(a, 'start-group').isDisabled()).toBe(true);
    await pick(a, cy.name, cy.id);
    await until(() => byTestId(a, 'picked-person').allTextContents()).toEqual([
      `${ben.name} ×`,
      `${cy.name} ×`,
    ]);
    const start = byTestId(a, 'start-group');
    expect(await start.textContent()).toBe('Start group (3 people)');
    await start.focus();
    await start.press('Enter');
    await conversationReady(a, groupId);
    const title = await a.locator('#conversation-title').textContent();
    // Each name isolated (U+2068 … U+2069): a right-to-left one keeps to itself.
    expect(title?.split(', ').sort()).toEqual([ben.name, cy.name].map(isolated).sort());
    await send(a, 'Hello both');

    // The others get it in their chat list (named after the other two), then live.
    for (const [page, others] of [
      [b, [ana.name, cy.name]],
      [c, [ana.name, ben.name]],
    ] as const) {
      const item = chatItem(page, groupId);
      await item.waitFor();
      expect((await item.locator('.chat-name').textContent())?.split(', ').sort()).toEqual(
        others.map(isolated).sort(),
      );
      expect(await item.locator('[data-testid="group-icon"]').count()).toBe(1);
      await item.click();
      await conversationReady(page, groupId);
      await until(() => messageTexts(page)).toEqual(['Hello both']);
    }
    await send(b, 'Ben here');
    await send(c, 'Cy too');
    for (const page of [a, b, c]) {
      await until(() => messageTexts(page)).toEqual(['Hello both', 'Ben here', 'Cy too']);
    }
    // Both others have read Ana's message: her receipt names the group, not one person.
    await until(() => byTestId(a, 'seen').allTextContents()).toEqual(['Seen by everyone']);

    // Dee opens the group's address: "No such room", no message, no member list, no socket.
    const d = await browsers.open({ as: dee, path: `/c/${encodeURIComponent(groupId)}` });
    await byTestId(d, 'no-such-room').waitFor();
    const text = (await d.locator('body').textContent()) ?? '';
    for (const said of ['Hello both', 'Ben here', 'Cy too']) expect(text).not.toContain(said);
    expect(await chatItem(d, groupId).count()).toBe(0);
    const res = await suite.api.call(`/rooms/${encodeURIComponent(groupId)}/messages`, {
      token: dee.token,
    });
    expect(res.status).toBe(403);
  });

  it('shows the group icon’s member count at a readable size and contrast in both themes', async () => {
    const [ana, ben, cy] = await Promise.all([
      suite.api.guest(unique('ana')),
      suite.api.guest(unique('ben')),
      suite.api.guest(unique('cy')),
    ]);
    const made = await suite.api.call('/dms/group', {
      json: { userIds: [ben.id, cy.id] },
      token: ana.token,
    });
    expect(made.status).toBe(200);
    const groupId = (made.body.chat as { id: string }).id;
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browsers.open({ as: ana, colorScheme });
      const count = chatItem(page, groupId).locator('.group-count');
      await count.waitFor();
      expect(await count.textContent()).toBe('3');
      expect(
        await count.evaluate((el) => parseFloat(getComputedStyle(el).fontSize)),
      ).toBeGreaterThanOrEqual(11);
      expect(await contrastOf(count)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
