import { describe, expect, it } from 'vitest';
import { nameSkeleton } from '../../src/shared/names';
import { api, expectError, GOOD_PASSWORD, guest, register, testClientIp } from '../helpers';

const registerAs = (username: string) =>
  api('/auth/register', { method: 'POST', json: { username, password: GOOD_PASSWORD } });

/** A fresh all-letter name (digits have look-alikes of their own: 0 ~ O, 1 ~ l). */
function freshName(): string {
  const letters = 'bcdfghjkmnpqrstvwxz';
  const random = crypto.getRandomValues(new Uint8Array(10));
  return `Dee${[...random].map((b) => letters[b % letters.length]).join('')}`;
}

describe('look-alike names', () => {
  const disguises: [string, (name: string) => string][] = [
    ['Cyrillic letters', (n) => n.replace('D', 'D').replace(/e/g, '\u0435')],
    ['fullwidth letters', (n) => n.replace('Dee', '\uFF24\uFF45\uFF45')],
    ['mathematical bold letters', (n) => n.replace('Dee', '\u{1D403}\u{1D41E}\u{1D41E}')],
    ['Greek capital letters', (n) => n.toUpperCase().replace('E', '\u0395')],
  ];
  for (const [how, disguise] of disguises) {
    it(`refuses a username that copies an existing one with ${how}`, async () => {
      const name = freshName();
      await register(name);
      const err = await expectError(await registerAs(disguise(name)), 409, 'name_too_similar');
      expect(err.field).toBe('username');
      expect(err.message).toBe(
        `That name looks the same as "${name}"; choose a clearly different one`,
      );
    });
  }

  it('refuses a guest whose name looks like an account’s', async () => {
    const name = freshName();
    await register(name);
    const res = await api('/auth/guest', {
      method: 'POST',
      json: { name: name.replace(/e/g, '\u0435') },
      headers: { 'cf-connecting-ip': testClientIp() },
    });
    await expectError(res, 409, 'name_too_similar');
  });

  it('stores the skeleton, so a race between two look-alikes still leaves one', async () => {
    const name = freshName();
    const results = await Promise.all([registerAs(name), registerAs(name.replace(/e/g, '\u0435'))]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('lets clearly different names through', async () => {
    const name = freshName();
    await register(name);
    expect((await registerAs(`${name}x`)).status).toBe(201);
    const g = await guest(`${name} y`);
    expect(g.id).toBeTruthy();
  });
});

describe('invisible code points in names', () => {
  const invisible = ['\u034F', '\uFE0F', '\u{E0100}', '\u115F', '\u3164', '\u17B4', '\u180B'];
  for (const char of invisible) {
    const label = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    it(`refuses ${label} in a username and a room name`, async () => {
      const err = await expectError(await registerAs(`Dee${char}bob`), 400, 'validation_failed');
      expect(err.message).toContain(label);
      const g = await guest();
      const room = await api('/rooms', {
        method: 'POST',
        json: { name: `Lounge${char}` },
        token: g.token,
      });
      const roomErr = await expectError(room, 400, 'validation_failed');
      expect(roomErr.field).toBe('name');
      expect(roomErr.message).toBe(
        `Room name contains an invisible, filler or control character (${label})`,
      );
    });
  }
});

describe('users from before skeletons were stored', () => {
  it('fills their skeletons before the next name check, so look-alikes of them are refused', async () => {
    const { env } = await import('cloudflare:test');
    const old = freshName();
    const twin = old.replace(/e/g, '\u0435'); // already there, from before the rule
    const insert = (id: string, name: string) =>
      env.DB.prepare(
        `INSERT INTO users (id, username, username_key, color, is_guest, created_at)
         VALUES (?, ?, ?, '#7a7a7a', 1, 1)`,
      ).bind(id, name, name.toLowerCase());
    await env.DB.batch([insert(`legacy-${old}`, old), insert(`legacy-twin-${old}`, twin)]);

    const err = await expectError(
      await registerAs(old.replace('D', '\uFF24')),
      409,
      'name_too_similar',
    );
    expect(err.message).toContain(`"${old}"`);
    const rows = await env.DB.prepare(
      'SELECT id, name_skeleton FROM users WHERE id IN (?, ?) ORDER BY id',
    )
      .bind(`legacy-${old}`, `legacy-twin-${old}`)
      .all<{ id: string; name_skeleton: string }>();
    expect(rows.results.map((r) => r.name_skeleton).sort()).toEqual(
      [nameSkeleton(old), `${nameSkeleton(old)}#legacy-twin-${old}`].sort(),
    );
  });
});

describe('stacked accent marks', () => {
  // `x` has no precomposed accented forms, so NFC keeps every mark.
  const stacked = (n: number) =>
    `x${'\u0301\u0302\u0303\u0304\u0308\u030A'.slice(0, n)}${freshName()}`;

  it('refuses a username, a guest’s name and a room name stacking more than 4 marks on a letter', async () => {
    const err = await expectError(await registerAs(stacked(5)), 400, 'validation_failed');
    expect(err).toMatchObject({
      field: 'username',
      message: 'Username may stack at most 4 accent marks on a letter',
    });
    const asGuest = await api('/auth/guest', {
      method: 'POST',
      json: { name: stacked(6) },
      headers: { 'cf-connecting-ip': testClientIp() },
    });
    expect((await expectError(asGuest, 400, 'validation_failed')).field).toBe('name');
    const owner = await guest();
    const room = await api('/rooms', {
      method: 'POST',
      json: { name: stacked(5) },
      token: owner.token,
    });
    expect((await expectError(room, 400, 'validation_failed')).message).toBe(
      'Room name may stack at most 4 accent marks on a letter',
    );
  });

  it('keeps names with up to 4 marks on a letter (Vietnamese, Hebrew points)', async () => {
    for (const name of [
      stacked(4),
      `Nguy\u1EC5n ${freshName()}`,
      `\u05E9\u05C1\u05B8\u05DC ${freshName()}`,
    ]) {
      expect((await registerAs(name)).status).toBe(201);
    }
  });
});
