/**
 * Profiles in real Chromium against `wrangler dev`: an avatar and display name one person
 * sets reach the other's message list and people panel live; the profile card opens from a
 * name, by keyboard too, and its "Message" opens the DM; "Seen" appears in a DM.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from './chromium';
import { browserSuite, unique } from './suite';
import {
  attr,
  byTestId,
  conversationReady,
  historyReaches,
  send,
  sendOverSocket,
  until,
} from './ui';

const suite = browserSuite();
const { browsers } = suite;

// A real 1×1 PNG for the file picker (the browser decodes, crops and re-encodes it).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The avatar URL shown for `userId` in the message list and in the people panel. */
const avatarsOf = async (page: Page, userId: string) => ({
  messages: await attr(
    page.locator(`.group-avatar[data-user-id="${userId}"] [data-testid="avatar"]`),
    'data-avatar',
  ),
  people: await attr(
    page.locator(
      `[data-testid="online-room"] [data-testid="online-user"][data-user-id="${userId}"] [data-testid="avatar"]`,
    ),
    'data-avatar',
  ),
});

describe('profiles', () => {
  it('an avatar and display name reach the other person’s message list and people panel', async () => {
    const { ada, a, b } = await suite.twoInRoom();
    await send(a, 'a message to hang an avatar on');
    await until(() => avatarsOf(b, ada.id)).toEqual({ messages: [''], people: [''] });

    await byTestId(a, 'profile-button').click();
    // An HTML page named like an image never gets as far as the server.
    await byTestId(a, 'avatar-input').setInputFiles({
      name: 'cat.png',
      mimeType: 'image/png',
      buffer: Buffer.from('<!doctype html><script>alert(1)</script>'),
    });
    await until(() => byTestId(a, 'profile-error').textContent()).toBe(
      'That file is not an image this browser can read',
    );

    await byTestId(a, 'avatar-input').setInputFiles({
      name: 'me.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await until(() => byTestId(a, 'profile-done').textContent()).toBe('Picture changed.');
    await byTestId(a, 'profile-display-name').fill('Ada Lovelace ✨');
    await byTestId(a, 'profile-save').click();
    await until(() => byTestId(a, 'profile-done').textContent()).toBe('Profile saved.');

    const pattern = new RegExp(`^/api/avatars/${ada.id}/[0-9a-f]{32}$`);
    await until(async () => {
      const { messages, people } = await avatarsOf(b, ada.id);
      return [...messages, ...people].every((u) => pattern.test(u ?? '')) && messages.length;
    }).toBe(1);
    // The image itself loaded on the other screen (served, typed, allowed by the page's CSP),
    // at the size the browser resized it to.
    const width = await b
      .locator(`.group-avatar[data-user-id="${ada.id}"] img`)
      .evaluate(async (img: HTMLImageElement) => {
        await img.decode();
        return img.naturalWidth;
      });
    expect(width).toBe(256);
    await until(() => byTestId(b, 'message-author').allTextContents()).toEqual(['Ada Lovelace ✨']);
  });

  it('names a join notice’s person by display name, as their messages, after a reload', async () => {
    const { ada, bo, room } = await suite.twoGuestsInRoom();
    // Chosen after bo joined: the notice was written without it.
    const shownAs = unique('Bo Shown ');
    const set = await suite.api.call('/me/profile', {
      method: 'PATCH',
      json: { displayName: shownAs },
      token: bo.token,
    });
    expect(set.status).toBe(200);
    const [seq] = await sendOverSocket(suite.api, room.id, bo, ['hello from bo']);
    await historyReaches(suite.api, room.id, bo.token, seq!);
    const a = await browsers.open({ as: ada, path: `/c/${room.id}` });
    await conversationReady(a, room.id);
    const person = a.locator(
      '[data-testid="notice"][data-kind="joined"] [data-testid="notice-person"]',
    );
    await until(() => person.allTextContents()).toEqual([shownAs]);
    expect(await byTestId(a, 'message-author').allTextContents()).toEqual([shownAs]);
  });

  it('the profile card opens from a name by keyboard, and its Message opens the DM', async () => {
    const { ada, a, b } = await suite.twoInRoom();
    await send(a, 'say hi to me');
    const name = b.locator(`[data-testid="message-author"][data-user-id="${ada.id}"]`);
    await name.focus();
    await b.keyboard.press('Enter');
    const card = byTestId(b, 'profile-card');
    await card.waitFor();
    expect(await byTestId(b, 'profile-username').textContent()).toBe(`@${ada.name}guest`);
    expect(await b.locator('#profile-card-title').textContent()).toBe(ada.name);
    // Escape closes it and puts focus back on the name it came from.
    await b.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true);

    await b.keyboard.press('Enter');
    await byTestId(b, 'profile-message').click();
    await b.waitForURL((url) => url.pathname.startsWith('/c/dm'));
    const dm = decodeURIComponent(new URL(b.url()).pathname.slice('/c/'.length));
    expect(dm.split(':').slice(1).sort()).toEqual([ada.id, (await bMe(b))!].sort());
  });

  it('blocks from the profile card: their messages fold, their DM takes nothing, Settings lists them', async () => {
    const { ada, bo, room, a } = await suite.twoInRoom();
    // Their DM exists before the block (a new one would be refused), with one message.
    const opened = await suite.api.call('/dms', {
      method: 'POST',
      json: { userId: bo.id },
      token: ada.token,
    });
    const dm = (opened.body as { chat: { id: string } }).chat.id;
    await sendOverSocket(suite.api, dm, bo, ['hello from bo']);
    await sendOverSocket(suite.api, room.id, bo, ['bo in the room']);
    const author = a.locator(`[data-testid="message-author"][data-user-id="${bo.id}"]`);
    await until(() => author.count()).toBe(1);

    await author.click();
    await byTestId(a, 'profile-block').click();
    // The confirmation says what blocking does before anything happens.
    await until(() =>
      byTestId(a, 'profile-block-confirm').evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await byTestId(a, 'profile-block-confirm').click();
    await byTestId(a, 'profile-unblock').waitFor();
    await a.keyboard.press('Escape');
    const fold = byTestId(a, 'blocked-fold');
    await until(() => fold.textContent()).toBe('A message from someone you blocked Show');
    expect(await a.locator('[data-testid="message"]', { hasText: 'bo in the room' }).count()).toBe(
      0,
    );
    await byTestId(a, 'show-blocked').click();
    await until(() =>
      a.locator('[data-testid="message"]', { hasText: 'bo in the room' }).count(),
    ).toBe(1);

    // Their DM: what was said stays readable, the composer gives way to Unblock.
    await a.goto(`${suite.server.url}/c/${encodeURIComponent(dm)}`);
    await conversationReady(a, dm);
    await until(() => byTestId(a, 'blocked-bar').count()).toBe(1);
    expect(await byTestId(a, 'composer-input').count()).toBe(0);
    // bo's messages there fold too, and bo's new ones are refused by the server.
    await until(() => fold.count()).toBe(1);
    const theirs = await suite.api.open(`/rooms/${encodeURIComponent(dm)}/ws`, bo.token);
    theirs.send({ type: 'send', clientId: 'after-block', text: 'are you there?' });
    expect(await theirs.q.take((f) => f.type === 'error')).toMatchObject({
      code: 'blocked',
      ref: 'after-block',
    });
    theirs.close();

    // Settings lists bo; Unblock there brings the composer back.
    await byTestId(a, 'settings-button').click();
    const listed = byTestId(a, 'blocked-person');
    await until(() => listed.count()).toBe(1);
    expect(await listed.textContent()).toContain(bo.name);
    await byTestId(a, 'blocked-unblock').click();
    await until(() => listed.count()).toBe(0);
    await a.keyboard.press('Escape');
    await until(() => byTestId(a, 'composer-input').count()).toBe(1);
    expect(await fold.count()).toBe(0);
  });

  it('says why Message cannot open a DM with someone who blocks you', async () => {
    const { ada, bo, a } = await suite.twoInRoom();
    const blocked = await suite.api.call(`/me/blocks/${ada.id}`, {
      method: 'PUT',
      json: {},
      token: bo.token,
    });
    expect(blocked.status).toBe(200);
    await sendOverSocket(suite.api, (await a.evaluate(() => location.pathname)).slice(3), bo, [
      'hi',
    ]);
    const author = a.locator(`[data-testid="message-author"][data-user-id="${bo.id}"]`);
    await until(() => author.count()).toBe(1);
    await author.click();
    await byTestId(a, 'profile-message').click();
    await until(() => byTestId(a, 'app-problem').textContent()).toContain(
      'You cannot message this person',
    );
  });

  it('opens the profile card from a join notice’s name, a search result’s author, a mention chip and a DM’s avatar', async () => {
    const { bo, room, a } = await suite.twoInRoom();
    const card = byTestId(a, 'profile-card');
    const joined = a.locator(
      '[data-testid="notice"][data-kind="joined"] [data-testid="notice-person"]',
    );
    await until(() => joined.count()).toBe(1);
    await joined.click();
    await card.waitFor();
    expect(await a.locator('#profile-card-title').textContent()).toBe(bo.name);
    expect(await byTestId(a, 'profile-username').textContent()).toBe(`@${bo.name}guest`);
    await a.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });

    const word = unique('beacon');
    const [seq] = await sendOverSocket(suite.api, room.id, bo, [`the ${word} is lit`]);
    await historyReaches(suite.api, room.id, bo.token, seq!);
    await a.keyboard.press('Control+k');
    await byTestId(a, 'search-box').fill(word);
    const author = a.locator(`[data-testid="search-author"][data-user-id="${bo.id}"]`);
    await until(() => author.count()).toBe(1);
    await author.click();
    await card.waitFor();
    expect(await a.locator('#profile-card-title').textContent()).toBe(bo.name);
    // The card closes back to the search, which stays open on its results.
    await a.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
    expect(await author.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await byTestId(a, 'search-result').count()).toBe(1);
    await a.keyboard.press('Escape');
    await byTestId(a, 'search-dialog').waitFor({ state: 'detached' });

    // A mention chip in a message, and the avatar of a DM in the chat list.
    const [mention] = await sendOverSocket(suite.api, room.id, bo, [`ask <@${bo.id}>`]);
    const chip = a.locator(`[data-seq="${mention}"] [data-testid="mention"]`);
    await chip.click();
    await card.waitFor();
    expect(await a.locator('#profile-card-title').textContent()).toBe(bo.name);
    await byTestId(a, 'profile-message').click();
    await a.waitForURL((url) => url.pathname.startsWith('/c/dm'));
    const dmAvatar = a.locator(`[data-testid="chat-avatar"][data-user-id="${bo.id}"]`);
    await dmAvatar.click();
    await card.waitFor();
    expect(await a.locator('#profile-card-title').textContent()).toBe(bo.name);
  });

  it('shows "Seen" under my message once the other person has read it in a DM', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    const opened = await suite.api.call('/dms', { json: { userId: bo.id }, token: ada.token });
    const dm = (opened.body.chat as { id: string }).id;
    const a = await browsers.open({ as: ada, path: `/c/${dm}` });
    await conversationReady(a, dm);
    await send(a, 'are you there?');
    expect(await byTestId(a, 'seen').count()).toBe(0);

    const b = await browsers.open({ as: bo, path: `/c/${dm}` });
    await conversationReady(b, dm);
    await until(() => b.locator('[data-testid="message-text"]').allTextContents()).toEqual([
      'are you there?',
    ]);
    // Bo read it: Ada's screen says so, under her message, live.
    await until(() => byTestId(a, 'seen').count()).toBe(1);
    const seenAfter = await byTestId(a, 'seen').evaluate(
      (el) => el.previousElementSibling?.getAttribute('data-author-id') ?? null,
    );
    expect(seenAfter).toBe(ada.id);
    // Bo's own screen shows no "Seen" for a message that is not his.
    expect(await byTestId(b, 'seen').count()).toBe(0);
  });

  it('stops the display name at the server’s 48 characters, an emoji counting once', async () => {
    const ada = await suite.api.guest(unique('ada'));
    const a = await browsers.open({ as: ada });
    await conversationReady(a, 'global');
    await byTestId(a, 'profile-button').click();
    const field = byTestId(a, 'profile-display-name');
    // Typed only once the opened dialog has settled its focus on the field.
    await field.click();
    await until(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await field.pressSequentially('n'.repeat(50));
    expect(await field.inputValue()).toBe('n'.repeat(48));
    // 46 letters, an emoji and a letter are 48 characters to the server (49 UTF-16 units).
    const withEmoji = `${'n'.repeat(46)}😀n`;
    await field.fill('');
    await field.pressSequentially(`${withEmoji}n`);
    expect(await field.inputValue()).toBe(withEmoji);
    // The server's other rules are said as one types too, before Save.
    await field.fill('ada@home');
    await until(() => byTestId(a, 'field-error-profile-display-name').textContent()).toBe(
      'A display name cannot contain @',
    );
    await field.fill('');
    await field.pressSequentially(withEmoji);
    expect(await byTestId(a, 'field-error-profile-display-name').count()).toBe(0);
    await byTestId(a, 'profile-save').click();
    await until(() => byTestId(a, 'profile-done').textContent()).toBe('Profile saved.');
    const stored = await suite.api.call(`/users/${ada.id}/profile`, { token: ada.token });
    expect((stored.body.user as { displayName?: string }).displayName).toBe(withEmoji);
  });

  it('lets the zone this browser stored for someone who never chose one follow the browser, not a chosen one', async () => {
    const [ada, bo] = await Promise.all([
      suite.api.guest(unique('ada')),
      suite.api.guest(unique('bo')),
    ]);
    // Both have UTC stored: Ada's set by this browser at an earlier sign-in on a machine in
    // UTC (as it remembers), Bo's saved by Bo.
    for (const who of [ada, bo]) {
      const set = await suite.api.call('/me/profile', {
        method: 'PATCH',
        json: { timeZone: 'UTC' },
        token: who.token,
      });
      expect(set.status).toBe(200);
    }
    const zoneOf = async (id: string, token: string) =>
      (await suite.api.call(`/users/${id}/profile`, { token })).body.timeZone;

    const a = await browsers.open({
      as: ada,
      path: '/favicon.ico',
      timezoneId: 'America/New_York',
    });
    await a
      .context()
      .addInitScript((id) => localStorage.setItem(`parlor:auto-zone:${id}`, 'UTC'), ada.id);
    const b = await browsers.open({ as: bo, timezoneId: 'America/New_York' });
    await a.goto('/');
    await Promise.all([conversationReady(a, 'global'), conversationReady(b, 'global')]);

    await until(() => zoneOf(ada.id, ada.token)).toBe('America/New_York');
    await byTestId(a, 'profile-button').click();
    expect(await byTestId(a, 'profile-time-zone').inputValue()).toBe('America/New_York');
    await byTestId(b, 'profile-button').click();
    expect(await byTestId(b, 'profile-time-zone').inputValue()).toBe('UTC');
    expect(await zoneOf(bo.id, bo.token)).toBe('UTC');
  });
});

async function bMe(page: Page): Promise<string | null> {
  return page.locator('[data-testid="me"]').getAttribute('data-user-id');
}
