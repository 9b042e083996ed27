/**
 * The people search and a chat's member search under a burst of parallel and hostile queries
 * (src/worker/name-search.ts): every one gets a clean answer, its results or the one error
 * shape, and none a 5xx.
 */
import { describe, expect, it } from 'vitest';
import { api, createRoom, guest, join } from '../helpers';

type Answer =
  | { status: 200; users?: { id: string }[]; members?: { id: string }[] }
  | { status: number; error: { code: string; message: string; field?: string } };

async function answerOf(res: Response): Promise<Answer> {
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, ...body } as Answer;
}

/** What a query that asks for nothing findable answers: 200 and nobody. */
const nobody = (list: 'users' | 'members') => ({ status: 200, [list]: [] });

/** The error shape for a query the schema refuses. */
const refused = (field: string) => ({
  status: 400,
  error: { code: 'validation_failed', message: expect.any(String), field },
});

// Raw (already encoded) query values: zero widths, bidi controls, fillers, tags, a lone
// surrogate's bytes, broken percent-escapes, a NUL, and more than the 32 characters allowed.
const HOSTILE: [raw: string, answer: 'nobody' | 'refused'][] = [
  ['%E2%80%8B', 'nobody'], // U+200B
  ['%E2%80%8B%E2%80%8B%E2%80%8F', 'nobody'], // zero widths and a right-to-left mark
  ['%E2%80%AE', 'nobody'], // U+202E
  ['%E3%85%A4', 'nobody'], // U+3164 Hangul filler
  ['%F3%A0%80%81', 'nobody'], // U+E0001 language tag
  ['%00', 'nobody'],
  ['%ED%A0%80', 'nobody'], // a lone surrogate's UTF-8 bytes
  ['%E0%A4%A', 'nobody'], // a broken escape
  ['%', 'nobody'],
  // U+10FFFF, the end of every range searched, and how a signed-out guest's key starts.
  ['%F4%8F%BF%BF', 'nobody'],
  ['%F4%8F%BF%BFsigned-out', 'nobody'],
  ['a'.repeat(33), 'refused'],
  [encodeURIComponent('𝐀'.repeat(40)), 'refused'],
  ['x'.repeat(5000), 'refused'],
];

/** A guest who signed out (a member of `roomId` first): its key starts with U+10FFFF. */
async function signedOutGuest(roomId?: string) {
  const gone = await guest();
  if (roomId) await join(roomId, gone.token);
  const out = await api('/auth/logout', { method: 'POST', json: {}, token: gone.token });
  expect(out.status).toBe(200);
}

describe('name searches under a burst of parallel and hostile queries', () => {
  it('answers 40 parallel people searches and the hostile ones cleanly', async () => {
    const prefix = `Storm${crypto.randomUUID().slice(0, 5)}`;
    const [a, b] = [await guest(`${prefix}_a`), await guest(`${prefix}_b`)];
    await signedOutGuest();
    const search = (raw: string) => api(`/users?prefix=${raw}`, { token: a.token });

    const answers = await Promise.all(
      Array.from({ length: 40 }, () => search(prefix.toLowerCase()).then(answerOf)),
    );
    expect(answers).toEqual(
      answers.map(() => ({ status: 200, users: [expect.objectContaining({ id: b.id })] })),
    );

    const hostile = await Promise.all(HOSTILE.map(([raw]) => search(raw).then(answerOf)));
    expect(hostile).toEqual(
      HOSTILE.map(([, answer]) => (answer === 'nobody' ? nobody('users') : refused('prefix'))),
    );
    // An empty prefix asks for everyone: refused, not answered with the whole directory.
    expect(await answerOf(await search(''))).toEqual(refused('prefix'));
  });

  it('answers 40 parallel member searches and the hostile ones cleanly', async () => {
    const prefix = `Storm${crypto.randomUUID().slice(0, 5)}`;
    const [a, b] = [await guest(`${prefix}_a`), await guest(`${prefix}_b`)];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    await signedOutGuest(room.id);
    const search = (raw: string) => api(`/rooms/${room.id}/members?q=${raw}`, { token: a.token });

    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => search(i % 2 ? prefix : `${prefix}_b`).then(answerOf)),
    );
    expect(answers).toEqual(
      answers.map((_, i) => ({
        status: 200,
        members: (i % 2 ? [a, b] : [b]).map((u) => expect.objectContaining({ id: u.id })),
      })),
    );

    const hostile = await Promise.all(HOSTILE.map(([raw]) => search(raw).then(answerOf)));
    expect(hostile).toEqual(
      HOSTILE.map(([, answer]) => (answer === 'nobody' ? nobody('members') : refused('q'))),
    );
  });
});
