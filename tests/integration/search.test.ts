import { describe, expect, it } from 'vitest';
import { SEARCHES } from '../../src/worker/search/route';
import { byType } from '../socket-client';
import {
  api,
  connect,
  createRoom,
  drain,
  expectError,
  guest,
  join,
  openRoom,
  say,
} from '../helpers';

interface Hit {
  roomId: string;
  roomName: string;
  roomKind: string;
  seq: number;
  author: { id: string; name: string };
  createdAt: number;
  editedAt: number | null;
  snippet: {
    text: string;
    highlights: { start: number; end: number }[];
    cutStart: boolean;
    cutEnd: boolean;
  };
}
interface Page {
  results: Hit[];
  nextCursor: string | null;
}

/** A word no other test writes, so each test sees only its own messages. */
const word = (prefix = 'w') => `${prefix}${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;

async function search(token: string, params: Record<string, string>) {
  return api(`/search?${new URLSearchParams(params)}`, { token });
}

async function found(token: string, params: Record<string, string>): Promise<Page> {
  const res = await search(token, params);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

const seqs = (page: Page) => page.results.map((h) => [h.roomId, h.seq]);

async function openDm(a: { token: string }, b: { id: string }): Promise<string> {
  const res = await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { chat: { id: string } }).chat.id;
}

describe('search', () => {
  it('finds a word in a room, newest first, with the matching words as offsets', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const w = word();
    const s = await openRoom(room.id, a.token);
    await say(s, `first ${w} here`);
    await say(s, 'nothing to see');
    await say(s, `${w.toUpperCase()} again, and ${w}!`);
    await drain(room.id);

    const page = await found(a.token, { q: w });
    expect(seqs(page)).toEqual([
      [room.id, 3],
      [room.id, 1],
    ]);
    const [newest] = page.results;
    expect(newest).toMatchObject({
      roomName: room.name,
      roomKind: 'public',
      author: { id: a.id, name: a.name },
      editedAt: null,
      snippet: {
        text: `${w.toUpperCase()} again, and ${w}!`,
        highlights: [
          { start: 0, end: w.length },
          { start: w.length + 12, end: 2 * w.length + 12 },
        ],
        cutStart: false,
        cutEnd: false,
      },
    });
    expect(newest!.createdAt).toBeGreaterThan(Date.now() - 60_000);
    expect(page.nextCursor).toBeNull();
  });

  it('folds accents and case, and cuts a long message around its first match', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const w = word();
    const s = await openRoom(room.id, a.token);
    const long = `${'padding words '.repeat(30)}crème ${w} ${'more words '.repeat(30)}`;
    await say(s, long);
    await drain(room.id);
    const page = await found(a.token, { q: `CREME ${w}` });
    expect(page.results).toHaveLength(1);
    const { snippet } = page.results[0]!;
    expect(snippet.cutStart && snippet.cutEnd).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(172);
    expect(snippet.highlights.map((h) => snippet.text.slice(h.start, h.end))).toEqual(['crème', w]);
  });

  it('shows the author’s display name, and mentions by name with offsets into the text as shown', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    const w = word();
    const s = await openRoom(room.id, a.token);
    const unknown = crypto.randomUUID();
    await say(s, `<@${b.id}> and <@here>: ${w} <@${unknown}>`);
    await drain(room.id);
    const res = await api('/me/profile', {
      method: 'PATCH',
      json: { displayName: 'Ada Lovelace' },
      token: a.token,
    });
    expect(res.status).toBe(200);
    const [hit] = (await found(a.token, { q: w })).results;
    // The author as messages show them, display name included.
    expect(hit!.author).toMatchObject({ id: a.id, name: a.name, displayName: 'Ada Lovelace' });
    const { snippet } = hit!;
    expect(snippet.text).toBe(`@${b.name} and @here: ${w} @someone`);
    expect(snippet.highlights.map((h) => snippet.text.slice(h.start, h.end))).toEqual([w]);
  });

  it('finds the messages that mention someone: mentions:me, by name, never another pair’s DM', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const room = await createRoom(a.token);
    const w = word();
    const s = await openRoom(room.id, a.token);
    await say(s, `<@${b.id}> ${w} one`); // seq 1
    await say(s, `<@${c.id}> and <@${b.id}> ${w} two`); // seq 2
    await say(s, `${b.name} by name only, ${w}`); // seq 3: not a mention
    await drain(room.id);
    const dm = await openDm(a, b);
    const inDm = await openRoom(dm, a.token);
    await say(inDm, `<@${c.id}> behind their back ${w}`);
    await drain(dm);

    const mine = await found(b.token, { q: 'mentions:me' });
    expect(seqs(mine).filter(([id]) => id === room.id)).toEqual([
      [room.id, 2],
      [room.id, 1],
    ]);
    const hit = mine.results.find((h) => h.roomId === room.id && h.seq === 1)!;
    // The name's words are marked (a username's `_` parts them).
    expect(hit.snippet.highlights.map((h) => hit.snippet.text.slice(h.start, h.end))).toEqual(
      b.name.match(/[\p{L}\p{N}]+/gu),
    );
    // c is mentioned in a's DM with b too: c may not read it, so it is not there.
    expect(seqs(await found(c.token, { q: `mentions:me ${w}` }))).toEqual([[room.id, 2]]);
    expect(seqs(await found(a.token, { q: w, mentions: `@${c.name}` }))).toEqual([
      [dm, 1],
      [room.id, 2],
    ]);
    expect(seqs(await found(a.token, { q: `mentions:${b.name} in:${room.name}` }))).toEqual([
      [room.id, 2],
      [room.id, 1],
    ]);
    const error = await expectError(
      await search(a.token, { q: `mentions:${word('nobody')}` }),
      400,
      'validation_failed',
    );
    expect(error.field).toBe('mentions');
  });

  it('finds a person for from: and mentions: by their display name, when only they have it', async () => {
    const [a, b] = [await guest(), await guest()];
    const tag = word('zelda');
    const shown = await api('/me/profile', {
      method: 'PATCH',
      json: { displayName: `Zelda ${tag}` },
      token: b.token,
    });
    expect(shown.status).toBe(200);
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    const [sa, sb] = [await openRoom(room.id, a.token), await openRoom(room.id, b.token)];
    const mention = (await say(sa, `hi <@${b.id}>`)).seq;
    const reply = (await say(sb, 'hello back')).seq;
    await drain(room.id);
    // Quoted (a name with spaces), and folded as the look-alike check folds it.
    expect(seqs(await found(a.token, { q: `from:"zelda ${tag.toUpperCase()}"` }))).toEqual([
      [room.id, reply],
    ]);
    expect(seqs(await found(a.token, { q: `mentions:"Zelda ${tag}"` }))).toEqual([
      [room.id, mention],
    ]);
    // The username still names them; a display name nobody has is a 400 naming the filter.
    expect(seqs(await found(a.token, { q: `from:${b.name}` }))).toEqual([[room.id, reply]]);
    const error = await expectError(
      await search(a.token, { q: `from:"Zelda ${word('nobody')}"` }),
      400,
      'validation_failed',
    );
    expect(error.field).toBe('from');
  });

  it('answers 40 parallel from:/mentions: searches by hostile names with 200 or the 400 shape', async () => {
    const a = await guest();
    const names = [
      'Zelda\u200b Fitz',
      '\u202eadleZ',
      '\u{10FFFF}',
      '\ud800x',
      'a'.repeat(150),
      '\u0000',
      'Ｚｅｌｄａ',
      ' ',
    ];
    const queries = Array.from({ length: 40 }, (_, i) => {
      const name = names[i % names.length]!;
      return i % 2 ? `from:"${name}"` : `mentions:"${name}" word`;
    });
    const answers = await Promise.all(queries.map((q) => search(a.token, { q })));
    for (const res of answers) {
      if (res.status === 200) {
        expect(((await res.json()) as Page).results).toEqual([]);
        continue;
      }
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.message).toEqual(expect.any(String));
    }
  });

  it('counts an @here that reached the searcher as mentions:me, and only for those it reached', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    await join(room.id, c.token);
    const w = word();
    // b has the room open when @here is said; c does not, so it is not c's mention.
    const { socket: lobby } = await connect('/lobby/ws', b.token);
    await lobby!.q.take(byType('hello'));
    const sb = await openRoom(room.id, b.token);
    const s = await openRoom(room.id, a.token);
    const one = (await say(s, `<@here> ${w} one`)).seq as number;
    await say(s, `${w} two, nobody mentioned`);
    const three = (await say(s, `<@here> three`)).seq as number;
    // The room records whom each @here reached before it sends the activity notice.
    let seen = 0;
    while (seen < three) {
      const notice = await lobby!.q.take((f) => f.type === 'activity' && f.roomId === room.id);
      seen = notice.seq as number;
    }
    await drain(room.id);

    const inRoom = (page: Page) => seqs(page).filter(([id]) => id === room.id);
    expect(inRoom(await found(b.token, { q: 'mentions:me' }))).toEqual([
      [room.id, three],
      [room.id, one],
    ]);
    expect(seqs(await found(b.token, { q: `mentions:me ${w}` }))).toEqual([[room.id, one]]);
    expect(seqs(await found(b.token, { q: `mentions:me in:${room.name} three` }))).toEqual([
      [room.id, three],
    ]);
    expect(seqs(await found(c.token, { q: `mentions:me ${w}` }))).toEqual([]);
    expect(inRoom(await found(c.token, { q: 'mentions:me' }))).toEqual([]);
    // The author's own @here is not their mention.
    expect(inRoom(await found(a.token, { q: 'mentions:me' }))).toEqual([]);
    sb.close();
    lobby!.close();
  });

  it('never returns another pair’s DM, through any filter', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const dm = await openDm(a, b);
    const w = word();
    const s = await openRoom(dm, a.token);
    await say(s, `between us: ${w}`);
    await drain(dm);

    // Both members find it, the DM named after the other person.
    const forA = await found(a.token, { q: w });
    expect(forA.results.map((h) => [h.roomId, h.roomKind, h.roomName])).toEqual([
      [dm, 'dm', b.name],
    ]);
    expect(seqs(await found(b.token, { q: w }))).toEqual([[dm, 1]]);
    expect(seqs(await found(b.token, { q: `${w} in:@${a.name}` }))).toEqual([[dm, 1]]);

    // A third person: nothing, whichever way they ask.
    for (const q of [
      w,
      `${w} from:${a.name}`,
      `from:${a.name}`,
      `${w} after:2000-01-01`,
      `${w} before:2999-01-01`,
      `${w} in:@${a.name}`,
      `in:@${b.name}`,
      `u${[...new TextEncoder().encode(a.id)].map((x) => x.toString(16).padStart(2, '0')).join('')}`,
      `${w} scope:pub`,
      `{text scope}: ${w}`,
    ]) {
      expect(seqs(await found(c.token, { q })), q).toEqual([]);
    }
    const refused: Record<string, string>[] = [
      { q: `${w} in:${dm}` },
      { q: w, in: dm },
      { q: `in:${dm}` },
      { q: `${w} in:#${dm}` },
      { q: w, in: `#${dm}` },
    ];
    for (const params of refused) {
      const err = await expectError(await search(c.token, params), 403, 'forbidden');
      expect(err.field).toBeUndefined();
    }
  });

  it('finds an edited message by its new text only, and a deleted one not at all', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const [before, after, gone] = [word('old'), word('new'), word('del')];
    const s = await openRoom(room.id, a.token);
    const edited = await say(s, `the ${before} text`);
    const deleted = await say(s, `soon ${gone}`);
    await drain(room.id);
    expect(seqs(await found(a.token, { q: before }))).toEqual([[room.id, edited.seq]]);
    expect(seqs(await found(a.token, { q: gone }))).toEqual([[room.id, deleted.seq]]);

    s.send({ type: 'edit', target: edited.seq, text: `the ${after} text` });
    s.send({ type: 'delete', target: deleted.seq });
    await s.q.take(byType('delete'));
    await drain(room.id);
    expect(seqs(await found(a.token, { q: before }))).toEqual([]);
    expect(seqs(await found(a.token, { q: gone }))).toEqual([]);
    const page = await found(a.token, { q: after });
    expect(seqs(page)).toEqual([[room.id, edited.seq]]);
    expect(page.results[0]!.editedAt).toEqual(expect.any(Number));
    // An edited message edited again is found by the latest text only.
    s.send({ type: 'edit', target: edited.seq, text: 'plain again' });
    await s.q.take(byType('edit'));
    await drain(room.id);
    expect(seqs(await found(a.token, { q: after }))).toEqual([]);
  });

  it('filters by room, author and date, typed in q or given as parameters', async () => {
    const [a, b] = [await guest(), await guest()];
    const [one, two] = [await createRoom(a.token), await createRoom(a.token)];
    await join(two.id, b.token);
    const w = word();
    const s1 = await openRoom(one.id, a.token);
    const s2a = await openRoom(two.id, a.token);
    const s2b = await openRoom(two.id, b.token);
    await say(s1, `${w} in one`);
    await say(s2a, `${w} in two by a`);
    await say(s2b, `${w} in two by b`);
    await Promise.all([drain(one.id), drain(two.id)]);

    const all = await found(a.token, { q: w });
    expect(all.results).toHaveLength(3);
    expect(seqs(await found(a.token, { q: `${w} in:${two.name}` }))).toHaveLength(2);
    expect(seqs(await found(a.token, { q: `${w} in:"${two.name}"` }))).toHaveLength(2);
    expect(seqs(await found(a.token, { q: w, in: one.id }))).toEqual([[one.id, 1]]);
    const byB = await found(a.token, { q: `from:${b.name} ${w}` });
    expect(byB.results.map((h) => h.author.id)).toEqual([b.id]);
    expect(seqs(await found(a.token, { q: w, from: a.name, in: two.id }))).toHaveLength(1);
    // Filters alone list messages too.
    expect((await found(a.token, { q: `in:${two.id} from:${b.name}` })).results).toHaveLength(1);

    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    expect(await found(a.token, { q: `${w} after:${day(-2)} before:${day(2)}` })).toMatchObject({
      results: { length: 3 },
    });
    expect((await found(a.token, { q: `${w} before:${day(0)}` })).results).toEqual([]);
    expect((await found(a.token, { q: w, after: day(0) })).results).toEqual([]);
    expect((await found(a.token, { q: `${w} before:2000-01-01` })).results).toEqual([]);
    expect((await found(a.token, { q: `${w} after:${day(-400)}` })).results).toHaveLength(3);
    // Dates narrow a search; alone they are not one.
    const err = await expectError(
      await search(a.token, { q: `before:${day(1)}` }),
      400,
      'validation_failed',
    );
    expect(err.field).toBe('q');
  });

  it('refuses a bad filter with 400 naming it', async () => {
    const a = await guest();
    const cases: [Record<string, string>, string, string][] = [
      [{ q: 'x before:2026-13-01' }, 'validation_failed', 'before'],
      [{ q: 'x before:2026-02-30' }, 'validation_failed', 'before'],
      [{ q: 'x', after: 'yesterday' }, 'validation_failed', 'after'],
      [{ q: 'x after:2026-12-01 before:2026-12-02' }, 'validation_failed', 'before'],
      [{ q: 'x from:' }, 'validation_failed', 'from'],
      [{ q: `x from:${word('nobody')}` }, 'validation_failed', 'from'],
      [{ q: `x in:${word('nowhere')}` }, 'validation_failed', 'in'],
      [{ q: 'x in:global in:global' }, 'validation_failed', 'in'],
      [{ q: 'x in:global', in: 'global' }, 'validation_failed', 'in'],
      [{ q: 'x', limit: '51' }, 'validation_failed', 'limit'],
      [{ q: 'x'.repeat(201) }, 'validation_failed', 'q'],
      [{ q: '' }, 'validation_failed', 'q'],
      [{ q: 'x', cursor: 'nope' }, 'invalid_cursor', 'cursor'],
      [{ q: 'x', cursor: 'd-1' }, 'invalid_cursor', 'cursor'],
    ];
    for (const [params, code, field] of cases) {
      const err = await expectError(await search(a.token, params), 400, code);
      expect(err.field, JSON.stringify(params)).toBe(field);
    }
    await expectError(await api('/search?q=x'), 401, 'unauthorized');
  });

  it('finds the words that start with a typed word, and marks them whole', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const w = word();
    const s = await openRoom(room.id, a.token);
    await say(s, `the ${w}s are ready`); // seq 1
    await say(s, `a ${w} alone`); // seq 2
    await say(s, `un${w} is another word`); // seq 3
    await say(s, `${w.toUpperCase()}ING birds and ${w}-ups`); // seq 4
    await drain(room.id);
    const marked = (page: Page) =>
      page.results.map((h) =>
        h.snippet.highlights.map((r) => h.snippet.text.slice(r.start, r.end)),
      );

    // A part of the word finds every word that starts with it, never one that only contains it.
    const part = await found(a.token, { q: w.slice(0, 7) });
    expect(seqs(part)).toEqual([
      [room.id, 4],
      [room.id, 2],
      [room.id, 1],
    ]);
    expect(marked(part)).toEqual([[`${w.toUpperCase()}ING`, w], [w], [`${w}s`]]);
    // A whole word finds itself and its longer forms; a longer form finds only itself.
    const whole = await found(a.token, { q: w });
    expect(seqs(whole)).toEqual([
      [room.id, 4],
      [room.id, 2],
      [room.id, 1],
    ]);
    expect(marked(whole)).toEqual([[`${w.toUpperCase()}ING`, w], [w], [`${w}s`]]);
    expect(seqs(await found(a.token, { q: `${w}s` }))).toEqual([[room.id, 1]]);
    // Every word is a prefix; in a word of parts, the last part.
    expect(seqs(await found(a.token, { q: `${w} rea` }))).toEqual([[room.id, 1]]);
    expect(seqs(await found(a.token, { q: `rea ${w}` }))).toEqual([[room.id, 1]]);
    expect(seqs(await found(a.token, { q: `${w}-u` }))).toEqual([]);
    expect(seqs(await found(a.token, { q: `${w}-up` }))).toEqual([]);
    expect(seqs(await found(a.token, { q: `${w}-upx` }))).toEqual([]);
    expect(seqs(await found(a.token, { q: `${w.slice(0, 7)}-ups` }))).toEqual([]);
    expect(seqs(await found(a.token, { q: `${w}-ups` }))).toEqual([[room.id, 4]]);
    // One or two letters are matched whole (a prefix that short would read most of the index).
    expect(seqs(await found(a.token, { q: `${w} re` }))).toEqual([]);
    expect(seqs(await found(a.token, { q: `${w} a` }))).toEqual([[room.id, 2]]);
    // Quotes ask for the exact words.
    expect(seqs(await found(a.token, { q: `"${w}"` }))).toEqual([
      [room.id, 4],
      [room.id, 2],
    ]);
    expect(seqs(await found(a.token, { q: `"${w.slice(0, 7)}"` }))).toEqual([]);
    expect(seqs(await found(a.token, { q: `"the ${w}"` }))).toEqual([]);
    // Filters and paging work as for whole words.
    expect(
      seqs(await found(a.token, { q: `${w.slice(0, 7)} in:${room.name} from:${a.name}` })),
    ).toEqual([
      [room.id, 4],
      [room.id, 2],
      [room.id, 1],
    ]);
    const first = await found(a.token, { q: w.slice(0, 7), limit: '2' });
    expect(seqs(first)).toEqual([
      [room.id, 4],
      [room.id, 2],
    ]);
    const rest = await found(a.token, { q: w.slice(0, 7), limit: '2', cursor: first.nextCursor! });
    expect(seqs(rest)).toEqual([[room.id, 1]]);
    expect(rest.nextCursor).toBeNull();
  });

  it('keeps operators typed around a part of a word literal: results or a 400, never a 500', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const w = word();
    const s = await openRoom(room.id, a.token);
    await say(s, `near ${w}s or and not text col plain 2`);
    await drain(room.id);
    const part = w.slice(0, 8);
    for (const q of [
      `${part}*`,
      `${part}**`,
      `*${part}`,
      `${part}*"`,
      `NEAR(${part}`,
      `NEAR(${part} plain, 2)`,
      `col:${part}`,
      `text:${part}`,
      `{text}:${part}`,
      `-${part}`,
      `(${part})`,
      `${part})) ((`,
      `${part} OR`,
      `${part} + pla`,
      `^${part}`,
    ]) {
      expect(seqs(await found(a.token, { q })), q).toEqual([[room.id, 1]]);
    }
    // Quoted, the part is an exact word: `"…"*` is a phrase and punctuation.
    expect(seqs(await found(a.token, { q: `"${part}"*` }))).toEqual([]);
    expect(seqs(await found(a.token, { q: `"${part}` }))).toEqual([]);
    expect(seqs(await found(a.token, { q: `"${w}s` }))).toEqual([[room.id, 1]]);
    expect(seqs(await found(a.token, { q: `${part} NOT` }))).toEqual([[room.id, 1]]);
    expect(seqs(await found(a.token, { q: `${part} ORX` }))).toEqual([]);
    // Marks alone, or a word with marks, are words or nothing, never an FTS5 error.
    for (const q of ['\u0301\u0301\u0301', `${part}\u0301`, '\u{F0000}\u{F0001}\u{F0002}']) {
      const res = await search(a.token, { q });
      expect([200, 400], q).toContain(res.status);
    }
    for (const q of ['*', '"*"', '(*)', '-*', '*)(*']) {
      const err = await expectError(await search(a.token, { q }), 400, 'validation_failed');
      expect(err.field, q).toBe('q');
    }
  });

  it('treats FTS5 syntax in a query as words, never as an error', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const w = word();
    const s = await openRoom(room.id, a.token);
    // The operators' names are in the text, so that each is found when searched as a word.
    await say(s, `near ${w} or and not text ${w} plain`);
    await drain(room.id);
    const hostile = [
      `"${w}`,
      `${w}"`,
      `${w}*`,
      `*${w}`,
      `NEAR(${w}`,
      `NEAR(${w} plain)`,
      `-${w}`,
      `${w} OR`,
      `OR ${w}`,
      `${w} AND NOT`,
      `(${w}`,
      `${w})) ((`,
      `text:${w}`,
      `text : ${w}`,
      `{text}: ${w}`,
      `^${w}`,
      `${w} + plain`,
    ];
    for (const q of hostile) {
      expect(seqs(await found(a.token, { q })), q).toEqual([[room.id, 1]]);
    }
    // A quoted phrase needs its words adjacent and in order; a word's parts need each part.
    expect(seqs(await found(a.token, { q: `"${w} plain"` }))).toEqual([[room.id, 1]]);
    expect(seqs(await found(a.token, { q: `"plain ${w}"` }))).toEqual([]);
    expect(seqs(await found(a.token, { q: `plain-${w}` }))).toEqual([[room.id, 1]]);
    // The index's own scope tokens are never matched by what a person types.
    expect(seqs(await found(a.token, { q: 'pub' }))).toEqual([]);
    expect(seqs(await found(a.token, { q: 'p7075626c6963' }))).toEqual([]);
    // Words, not operators: a word the message lacks leaves it out.
    expect(seqs(await found(a.token, { q: `${w} OR absent` }))).toEqual([]);
    expect(seqs(await found(a.token, { q: `${w} '"; DROP TABLE messages; --` }))).toEqual([]);
    expect(seqs(await found(a.token, { q: w }))).toEqual([[room.id, 1]]);
    // Nothing but punctuation: no word to search for.
    for (const q of ['"', '*', '()', '-', ':', '"" ""', '{', '^', '("*")']) {
      const err = await expectError(await search(a.token, { q }), 400, 'validation_failed');
      expect(err.field, q).toBe('q');
    }
  });

  it('pages newest first with a cursor, with no overlap and no gap', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const w = word();
    const s = await openRoom(room.id, a.token);
    for (let n = 1; n <= 5; n += 1) await say(s, `${w} number ${n}`);
    await drain(room.id);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const params: Record<string, string> = { q: w, limit: '2' };
      if (cursor) params.cursor = cursor;
      const page = await found(a.token, params);
      seen.push(...page.results.map((h) => h.seq));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([5, 4, 3, 2, 1]);
  });
});

describe('searching in a loop', () => {
  it('is refused with 429 and Retry-After past the burst, for that person only', async () => {
    const [a, b] = [await guest(), await guest()];
    const statuses: number[] = [];
    for (let i = 0; i < SEARCHES.burst + 1; i += 1) {
      statuses.push((await api(`/search?q=loop${i}`, { token: a.token })).status);
    }
    // What refilled during the loop (one a second) may let a few more through.
    expect(statuses.slice(0, SEARCHES.burst).every((s) => s === 200)).toBe(true);
    let refused = await api('/search?q=again', { token: a.token });
    for (let i = 0; i < 30 && refused.status === 200; i += 1)
      refused = await api('/search?q=again', { token: a.token });
    const err = await expectError(refused, 429, 'rate_limited');
    expect(err.message).toMatch(/^Too many searches; try again in \d+ s$/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api('/search?q=other', { token: b.token })).status).toBe(200);
  });
});
