/**
 * Nobody may pass for the placeholders a departed user is shown as ("Former guest", "Former
 * visitor", "Deleted user"): a name whose look-alike key starts with one of theirs is refused
 * on every path that sets a name (src/worker/account/name-hold.ts, `passesForPlaceholder`).
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  api,
  embeddedRoom,
  expectError,
  GOOD_PASSWORD,
  guest,
  newVisitor,
  SITE,
  testClientIp,
} from '../helpers';

// Usernames: letters, digits, `_ - .` and single spaces only (src/shared/api.ts).
const POSING_USERNAMES = [
  'Former guest 2',
  'formerguest',
  'Former_Guest.x',
  'FORMER-GUEST',
  'Former guests',
  'F\u043Ermer guest', // Cyrillic о
  '\uFF26ormer guest', // fullwidth Ｆ
  'Forrner guest', // rn looks like m
  'Former visitor 1',
  'formervisitor',
  'Deleted user2',
  'Deleted_users',
];

// Display names may hold emoji, punctuation and runs of spaces too.
const POSING_DISPLAY_NAMES = [
  ...POSING_USERNAMES,
  'Former guest 🙂',
  'Former  guest.',
  '(Former guest)',
  'Former guest\u0323', // a combining dot below
  'Former \u0261uest', // script ɡ
  'Former visitor 👨‍👩‍👧',
];

// Invisible characters are refused before any name comparison (`forbiddenCodePoint`).
const INVISIBLE = [
  'Former\u200Bguest',
  'Former guest\u2060',
  'Former\u3164guest',
  '\u202EFormer guest',
];

const FINE = ['Formal guest', 'Former', 'Guest former', 'Forme guest'];

/** Each name's answer as `name → status code field`, to compare with what is expected. */
async function answers(names: string[], ask: (name: string) => Promise<Response>) {
  const out: string[] = [];
  for (const name of names) {
    const res = await ask(name);
    const body = (await res.json()) as {
      error?: { code: string; message: string; field?: string };
    };
    out.push(`${name} → ${res.status} ${body.error?.code} ${body.error?.field}`);
  }
  return out;
}

/** Every posing name gets the reserved-name 409 on `field`, every invisible one a 400. */
async function expectRefused(
  posing: string[],
  [field, invisibleField]: [reserved: string, invisible: string],
  ask: (name: string) => Promise<Response>,
) {
  expect(await answers(posing, ask)).toEqual(
    posing.map((n) => `${n} → 409 username_taken ${field}`),
  );
  expect(await answers(INVISIBLE, ask)).toEqual(
    INVISIBLE.map((n) => `${n} → 400 validation_failed ${invisibleField}`),
  );
  const [first] = posing;
  const error = await expectError(await ask(first!), 409, 'username_taken');
  expect(error).toEqual({
    code: 'username_taken',
    message: 'That name is reserved; choose another',
    field,
  });
}

const registerAs = (username: string) =>
  api('/auth/register', {
    method: 'POST',
    json: { username, password: GOOD_PASSWORD },
    headers: { 'cf-connecting-ip': testClientIp() },
  });
const guestAs = (name: string) =>
  api('/auth/guest', {
    method: 'POST',
    json: { name },
    headers: { 'cf-connecting-ip': testClientIp() },
  });

describe('names that pass for a departed user are refused', () => {
  it('at registration', async () => {
    await expectRefused(POSING_USERNAMES, ['username', 'username'], registerAs);
  });

  it('when naming a guest', async () => {
    await expectRefused(POSING_USERNAMES, ['username', 'name'], guestAs);
  });

  it('when naming a widget visitor', async () => {
    const { room } = await embeddedRoom();
    const visitorAs = (name: string) => newVisitor({ room: room.id, origin: SITE, name });
    await expectRefused(POSING_USERNAMES, ['username', 'name'], visitorAs);
  });

  it('when renaming', async () => {
    // A new guest for each try: renames are rate limited per user, refused ones too.
    const renameTo = async (username: string) =>
      api('/me', { method: 'PATCH', json: { username }, token: (await guest()).token });
    await expectRefused(POSING_USERNAMES, ['username', 'username'], renameTo);
  });

  it('as a display name', async () => {
    const me = await guest();
    const showAs = (displayName: string) =>
      api('/me/profile', { method: 'PATCH', json: { displayName }, token: me.token });
    await expectRefused(POSING_DISPLAY_NAMES, ['displayName', 'displayName'], showAs);
  });

  it('but a display name kept from before the rule does not block other profile changes', async () => {
    const me = await guest();
    // Set before the rule existed (directly in D1, as an old row would have it).
    await env.DB.prepare(
      `UPDATE users SET profile = json_set(coalesce(profile, '{}'), '$.displayName', ?1) WHERE id = ?2`,
    )
      .bind('Former guestworth', me.id)
      .run();
    const res = await api('/me/profile', {
      method: 'PATCH',
      json: { displayName: 'Former guestworth', timeZone: 'Europe/Paris' },
      token: me.token,
    });
    expect(res.status).toBe(200);
    // A new name that passes for a placeholder is still refused.
    await expectError(
      await api('/me/profile', {
        method: 'PATCH',
        json: { displayName: 'Former guest 3' },
        token: me.token,
      }),
      409,
      'username_taken',
    );
  });

  it('while names that only share a word are fine', async () => {
    const me = await guest();
    for (const displayName of FINE) {
      const res = await api('/me/profile', {
        method: 'PATCH',
        json: { displayName },
        token: me.token,
      });
      expect(res.status).toBe(200);
      const { user } = (await res.json()) as { user: { displayName?: string } };
      expect(user.displayName).toBe(displayName);
    }
  });
});
