/**
 * The room browser pages and searches instead of truncating (issue 8, item 14), one room can
 * be looked at before joining (item 17), and room names refuse look-alikes (item 4).
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { nameSkeleton } from '../../src/shared/names';
import { roomDetailResponse, roomsResponse } from '../../src/shared/responses';
import { api, createRoom, expectError, guest, openRoom, say } from '../helpers';

type Page = ReturnType<typeof roomsResponse.parse>;

async function listRooms(token: string, query: string): Promise<Page> {
  const res = await api(`/rooms${query}`, { token });
  expect(res.status).toBe(200);
  return roomsResponse.parse(await res.json());
}

/** Follows `nextCursor` to the end; returns every page. */
async function walk(token: string, query: string): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const page = await listRooms(token, `?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

/** `count` rooms named `<prefix> NN`, created by several people (each may create 10 at once). */
async function manyRooms(prefix: string, count: number) {
  const made: { id: string; name: string }[] = [];
  for (let start = 0; start < count; start += 10) {
    const owner = await guest();
    for (let i = start; i < Math.min(count, start + 10); i += 1) {
      made.push(await createRoom(owner.token, `${prefix} ${String(i).padStart(2, '0')}`));
    }
  }
  return made;
}

describe('the room browser', () => {
  it('walks every room exactly once, page by page, the global room first, while rooms stay busy', async () => {
    const made = await manyRooms(`Walk ${crypto.randomUUID().slice(0, 4)}`, 23);
    const reader = await guest();
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const page = await listRooms(reader.token, `?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page);
      cursor = page.nextCursor;
      // New activity between pages (what reordered the old list) must not move rooms
      // across the cursor.
      if (pages.length === 2) {
        await env.DB.prepare(`UPDATE rooms SET last_activity_at = ?1 WHERE kind = 'public'`)
          .bind(Date.now())
          .run();
      }
    } while (cursor);
    const seen = pages.flatMap((p) => p.rooms.map((r) => r.id));
    const { results } = await env.DB.prepare(
      `SELECT id FROM rooms WHERE kind IN ('global', 'public')`,
    ).all<{ id: string }>();
    expect(seen[0]).toBe('global');
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(results.map((r) => r.id).sort());
    expect(pages.slice(0, -1).every((p) => p.rooms.length === 5)).toBe(true);
    expect(pages.at(-1)!.nextCursor).toBeNull();
  });

  it('finds a room beyond the first page by any part of its name, in any case', async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    await manyRooms(`Aardvark ${tag}`, 12);
    const owner = await guest();
    const target = await createRoom(owner.token, `Zebra Crossing ${tag}`);
    const reader = await guest();
    const first = await listRooms(reader.token, '?limit=10');
    expect(first.rooms.map((r) => r.id)).not.toContain(target.id);
    const found = await listRooms(reader.token, `?q=${encodeURIComponent(`CROSSING ${tag}`)}`);
    expect(found.rooms.map((r) => r.id)).toEqual([target.id]);
    expect(found.nextCursor).toBeNull();
    // A search pages like the full list: every match once, nothing else.
    const matches = (await walk(reader.token, `q=aardvark%20${tag}&limit=5`)).flatMap((p) =>
      p.rooms.map((r) => r.name),
    );
    expect(matches).toEqual(
      Array.from({ length: 12 }, (_, i) => `Aardvark ${tag} ${String(i).padStart(2, '0')}`),
    );
  });

  it('lists the global room first when it matches the search, and not otherwise', async () => {
    const reader = await guest();
    const page = await listRooms(reader.token, '?q=glob');
    expect(page.rooms[0]).toMatchObject({ id: 'global', kind: 'global', member: true });
    const other = await listRooms(reader.token, `?q=${crypto.randomUUID()}`);
    expect(other).toEqual({ rooms: [], nextCursor: null });
  });

  it('pages on from a first page that holds only the global room; an empty cursor is page one', async () => {
    const owner = await guest();
    const tag = crypto.randomUUID().slice(0, 8);
    const mine = [
      await createRoom(owner.token, `Globe ${tag} 1`),
      await createRoom(owner.token, `Globe ${tag} 2`),
    ];
    // One room a page: the first page ends with the global room. Its cursor used to be ''
    // (the global room's place), which a client testing the cursor for truth took for the end.
    const pages = await walk(owner.token, 'q=glob&limit=1');
    expect(pages.every((p) => p.rooms.length === 1)).toBe(true);
    expect(pages.slice(0, -1).every((p) => typeof p.nextCursor === 'string' && p.nextCursor)).toBe(
      true,
    );
    const ids = pages.map((p) => p.rooms[0]!.id);
    expect(ids[0]).toBe('global');
    expect(ids.filter((id) => mine.some((r) => r.id === id))).toEqual(mine.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    const empty = await listRooms(owner.token, '?q=glob&limit=1&cursor=');
    expect(empty.rooms.map((r) => r.id)).toEqual(['global']);
  });

  it('refuses a cursor it did not give out and a page size over 100', async () => {
    const a = await guest();
    const err = await expectError(
      await api('/rooms?cursor=%25%25%25', { token: a.token }),
      400,
      'invalid_cursor',
    );
    expect(err.field).toBe('cursor');
    await expectError(await api('/rooms?cursor=_w', { token: a.token }), 400, 'invalid_cursor');
    const big = await expectError(
      await api('/rooms?limit=101', { token: a.token }),
      400,
      'validation_failed',
    );
    expect(big.field).toBe('limit');
    // Said as full zod says it: the Worker loads zod's English locale (this file does not).
    expect(big.message).toBe('Too big: expected number to be <=100');
  });

  it('refuses a new room whose topic is too long in words a person reads', async () => {
    const a = await guest();
    const err = await expectError(
      await api('/rooms', {
        method: 'POST',
        json: { name: `Long ${crypto.randomUUID().slice(0, 6)}`, topic: 't'.repeat(201) },
        token: a.token,
      }),
      400,
      'validation_failed',
    );
    expect({ field: err.field, message: err.message }).toEqual({
      field: 'topic',
      message: 'Topic is longer than 200 characters',
    });
  });
});

describe('GET /api/rooms/:id', () => {
  it('shows a public room and who is in it to someone who has not joined', async () => {
    const [a, b, stranger] = [await guest(), await guest(), await guest()];
    const res = await api('/rooms', {
      method: 'POST',
      json: { name: `Peek ${crypto.randomUUID().slice(0, 6)}`, topic: 'What we talk about' },
      token: a.token,
    });
    const { room } = (await res.json()) as { room: { id: string; name: string } };
    await api(`/rooms/${room.id}/join`, { method: 'POST', json: {}, token: b.token });
    const socket = await openRoom(room.id, a.token);
    await say(socket, 'hello');
    const detail = roomDetailResponse.parse(
      await (await api(`/rooms/${room.id}`, { token: stranger.token })).json(),
    );
    expect(detail.room).toMatchObject({
      id: room.id,
      kind: 'public',
      name: room.name,
      topic: 'What we talk about',
      memberCount: 2,
      member: false,
      onlineCount: 1,
    });
    expect(detail.online.map((u) => u.id)).toEqual([a.id]);
  });

  it('shows the global room to everyone and a DM to its two people only', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const global = await api('/rooms/global', { token: a.token });
    expect(global.status).toBe(200);
    expect(roomDetailResponse.parse(await global.json()).room).toMatchObject({
      id: 'global',
      kind: 'global',
      member: true,
    });
    const dm = await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
    const { chat } = (await dm.json()) as { chat: { id: string } };
    const mine = roomDetailResponse.parse(
      await (await api(`/rooms/${encodeURIComponent(chat.id)}`, { token: a.token })).json(),
    );
    expect(mine.room).toMatchObject({ id: chat.id, kind: 'dm', name: b.name, member: true });
    await expectError(
      await api(`/rooms/${encodeURIComponent(chat.id)}`, { token: c.token }),
      403,
      'forbidden',
    );
  });

  it('answers 404 room_not_found for a room that does not exist', async () => {
    const a = await guest();
    await expectError(
      await api('/rooms/does-not-exist', { token: a.token }),
      404,
      'room_not_found',
    );
    await expectError(await api('/rooms/does-not-exist'), 401, 'unauthorized');
  });
});

describe('room names', () => {
  it('refuses a look-alike of an existing room, the global room included, naming it', async () => {
    const a = await guest();
    const tag = crypto.randomUUID().slice(0, 4);
    const original = await createRoom(a.token, `Book club ${tag}`);
    const cases = [
      // Cyrillic о and с in place of Latin o and c
      [`B\u043e\u043ek \u0441lub ${tag}`, 'name_too_similar'],
      // fullwidth
      ['\uff27\uff4c\uff4f\uff42\uff41\uff4c', 'name_too_similar'],
      [original.name.toUpperCase(), 'room_name_taken'],
    ] as const;
    const b = await guest();
    for (const [name, code] of cases) {
      const err = await expectError(
        await api('/rooms', { method: 'POST', json: { name }, token: b.token }),
        409,
        code,
      );
      expect(err.field).toBe('name');
    }
    const { results } = await env.DB.prepare(`SELECT name FROM rooms WHERE created_by = ?1`)
      .bind(b.id)
      .all();
    expect(results).toEqual([]);
  });

  it('fills skeletons of rooms from before the column first, so their look-alikes are refused too', async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const old = `Chess corner ${tag}`;
    const twin = old.replace(/e/g, '\u0435'); // already there, from before the rule
    const insert = (id: string, name: string) =>
      env.DB.prepare(
        `INSERT INTO rooms (id, kind, name, name_key, created_at, last_activity_at)
         VALUES (?1, 'public', ?2, ?3, 1, 1)`,
      ).bind(id, name, name.toLowerCase());
    await env.DB.batch([insert(`legacy-${tag}`, old), insert(`legacy-twin-${tag}`, twin)]);

    const a = await guest();
    const err = await expectError(
      await api('/rooms', {
        method: 'POST',
        json: { name: old.replace('C', '\uFF23') },
        token: a.token,
      }),
      409,
      'name_too_similar',
    );
    expect(err.field).toBe('name');
    const { results } = await env.DB.prepare(
      `SELECT id, name_skeleton FROM rooms WHERE id IN (?1, ?2) ORDER BY created_at, id`,
    )
      .bind(`legacy-${tag}`, `legacy-twin-${tag}`)
      .all<{ id: string; name_skeleton: string }>();
    // The first keeps the plain skeleton; its older look-alike gets one no new name can equal.
    expect(results).toEqual([
      { id: `legacy-${tag}`, name_skeleton: nameSkeleton(old) },
      { id: `legacy-twin-${tag}`, name_skeleton: `${nameSkeleton(old)}#legacy-twin-${tag}` },
    ]);
  });
});
