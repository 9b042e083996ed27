/**
 * Per-user caps on room creation and on join/leave cycles (issue 8, item 14): one user must
 * not be able to flood the room browser or every member of a room.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  MEMBERSHIP_CHANGES,
  MEMBERSHIP_CHANGES_PER_ROOM,
  ROOM_CREATIONS,
  ROOMS_PER_USER,
} from '../../src/worker/rooms';
import { api, createRoom, expectError, guest, openRoom, say, uniqueName } from '../helpers';
import type { Frame } from '../socket-client';

const post = (path: string, token: string, json: unknown = {}) =>
  api(path, { method: 'POST', json, token });

/** Rooms `userId` created earlier, written straight into D1 (the quota counts every one). */
async function roomsCreatedBefore(userId: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => crypto.randomUUID());
  await env.DB.batch(
    ids.map((id, i) =>
      env.DB.prepare(
        `INSERT INTO rooms (id, kind, name, name_key, created_by, created_at, last_activity_at)
         VALUES (?1, 'public', ?2, lower(?2), ?3, ?4, ?4)`,
      ).bind(id, `Old room ${i} ${id.slice(0, 8)}`, userId, i),
    ),
  );
  return ids;
}

describe('room creation caps', () => {
  it(`creates ${ROOM_CREATIONS.burst} rooms at once, then answers 429 rate_limited with Retry-After`, async () => {
    const a = await guest();
    for (let i = 0; i < ROOM_CREATIONS.burst; i += 1) await createRoom(a.token);
    const name = uniqueName('room');
    const res = await post('/rooms', a.token, { name });
    const retryAfter = Number(res.headers.get('retry-after'));
    await expectError(res, 429, 'rate_limited');
    // One token comes back every 360 s (10 an hour).
    expect(retryAfter).toBeGreaterThan(300);
    expect(retryAfter).toBeLessThanOrEqual(360);
    const stored = await env.DB.prepare(`SELECT count(*) AS n FROM rooms WHERE created_by = ?1`)
      .bind(a.id)
      .first<{ n: number }>();
    expect(stored!.n).toBe(ROOM_CREATIONS.burst);
    // The limit is per user: someone else still creates.
    const b = await guest();
    await createRoom(b.token, name);
  });

  it(`refuses a user's room past ${ROOMS_PER_USER} with 429 quota_exceeded`, async () => {
    const a = await guest();
    await roomsCreatedBefore(a.id, ROOMS_PER_USER);
    const err = await expectError(
      await post('/rooms', a.token, { name: uniqueName('room') }),
      429,
      'quota_exceeded',
    );
    expect(err.message).toContain(`${ROOMS_PER_USER} rooms`);
  });

  it('lets parallel creations past the quota by none: the last free place goes once', async () => {
    const a = await guest();
    await roomsCreatedBefore(a.id, ROOMS_PER_USER - 1);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => post('/rooms', a.token, { name: uniqueName('race') })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 429, 429, 429, 429]);
    for (const res of responses.filter((r) => r.status === 429)) {
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('quota_exceeded');
    }
    const stored = await env.DB.prepare(
      `SELECT count(*) AS n FROM rooms WHERE created_by = ?1 AND kind = 'public'`,
    )
      .bind(a.id)
      .first<{ n: number }>();
    expect(stored!.n).toBe(ROOMS_PER_USER);
  });
});

describe('join and leave caps', () => {
  /** The join/leave notices a member saw, up to a message said after them (a marker). */
  async function announcementsUntilMarker(
    owner: Awaited<ReturnType<typeof openRoom>>,
  ): Promise<[string, string][]> {
    const marker = await say(owner, 'marker');
    await owner.q.take((f) => f.type === 'message' && f.seq === marker.seq);
    return owner.q.frames
      .filter((f: Frame) => f.type === 'notice')
      .map((f) => {
        const notice = f.notice as { kind: string; subject: { id: string } };
        return [notice.kind, notice.subject.id];
      });
  }

  it('announces nothing and spends nothing for joining a room one is already in', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    const owner = await openRoom(room.id, a.token);
    for (let i = 0; i < MEMBERSHIP_CHANGES_PER_ROOM.burst + 2; i += 1) {
      expect((await post(`/rooms/${room.id}/join`, b.token)).status).toBe(200);
    }
    expect(await announcementsUntilMarker(owner)).toEqual([['joined', b.id]]);
    // Leaving a room one is not in is a no-op too.
    const c = await guest();
    expect((await post(`/rooms/${room.id}/leave`, c.token)).status).toBe(200);
  });

  it(`stops join/leave cycles in one room after ${MEMBERSHIP_CHANGES_PER_ROOM.burst} changes with 429 rate_limited`, async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    const owner = await openRoom(room.id, a.token);
    const expected: [string, string][] = [];
    for (let i = 0; i < MEMBERSHIP_CHANGES_PER_ROOM.burst; i += 1) {
      const kind = i % 2 === 0 ? 'join' : 'leave';
      expect((await post(`/rooms/${room.id}/${kind}`, b.token)).status).toBe(200);
      expected.push([kind === 'join' ? 'joined' : 'left', b.id]);
    }
    const refused = await post(`/rooms/${room.id}/join`, b.token);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectError(refused, 429, 'rate_limited');
    expect(await announcementsUntilMarker(owner)).toEqual(expected);
    // The refused join changed nothing: b is not a member.
    const row = await env.DB.prepare(
      `SELECT count(*) AS n FROM memberships WHERE room_id = ?1 AND user_id = ?2`,
    )
      .bind(room.id, b.id)
      .first<{ n: number }>();
    expect(row!.n).toBe(0);
  });

  it(`caps one user's joins across rooms at ${MEMBERSHIP_CHANGES.burst} at once`, async () => {
    const owner = await guest();
    const roomIds = await roomsCreatedBefore(owner.id, MEMBERSHIP_CHANGES.burst + 1);
    const b = await guest();
    for (const id of roomIds.slice(0, MEMBERSHIP_CHANGES.burst)) {
      expect((await post(`/rooms/${id}/join`, b.token)).status).toBe(200);
    }
    await expectError(await post(`/rooms/${roomIds.at(-1)}/join`, b.token), 429, 'rate_limited');
  });
});
