/**
 * Account deletion resumes (issue 12): one room's object refuses to erase (a fault stored in
 * that room's own storage, honoured only under these tests: src/durable/erase.ts), the
 * account is still gone at once — no sign-in, tombstone name — and the room is left pending
 * in D1; the scheduled sweep, run through the Worker's own `scheduled` handler, finishes it
 * once the room answers, leaving none of the person's text readable anywhere.
 */
import {
  createExecutionContext,
  createScheduledController,
  env,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ERASE_FAULT_KEY } from '../../src/durable/erase';
import worker from '../../src/worker/index';
import {
  api,
  createRoom,
  drain,
  expectError,
  GOOD_PASSWORD,
  guest,
  history,
  join,
  openRoom,
  register,
  say,
} from '../helpers';

const roomStub = (id: string) => env.ROOM.get(env.ROOM.idFromName(id));

function setFault(roomId: string, on: boolean) {
  return runInDurableObject(roomStub(roomId), async (_room, state) => {
    if (on) await state.storage.put(ERASE_FAULT_KEY, true);
    else await state.storage.delete(ERASE_FAULT_KEY);
  });
}

/** One run of the cron, as the runtime starts it. */
async function runSweep() {
  const ctx = createExecutionContext();
  worker.scheduled(
    createScheduledController({ scheduledTime: Date.now(), cron: '*/10 * * * *' }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

const erasure = (userId: string) =>
  env.DB.prepare(
    `SELECT finished_at, attempts, last_error,
       (SELECT count(*) FROM account_erasure_rooms WHERE user_id = ?1 AND erased_at IS NULL) AS pending
     FROM account_erasures WHERE user_id = ?1`,
  )
    .bind(userId)
    .first<{
      finished_at: number | null;
      attempts: number;
      last_error: string | null;
      pending: number;
    }>();

/** The texts of `userId`'s messages in D1 that are still readable (not blanked). */
async function readableTexts(userId: string, roomId: string) {
  const { results } = await env.DB.prepare(
    `SELECT text FROM messages WHERE author_id = ?1 AND room_id = ?2
     AND (deleted_at IS NULL OR text != '')`,
  )
    .bind(userId, roomId)
    .all<{ text: string }>();
  return results.map((r) => r.text);
}

const searchFor = async (token: string, q: string) =>
  (
    (await (await api(`/search?${new URLSearchParams({ q })}`, { token })).json()) as {
      results: { roomId: string }[];
    }
  ).results;

describe('account deletion resumes', () => {
  it('leaves a failing room pending, signs nobody in meanwhile, and the sweep finishes it', async () => {
    const a = await register();
    const b = await guest();
    const secret = `er${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const [fine, faulty] = [await createRoom(b.token), await createRoom(b.token)];
    for (const room of [fine, faulty]) {
      await join(room.id, a.token);
      const s = await openRoom(room.id, a.token);
      await say(s, `in ${room.name}: ${secret}`);
      s.close();
      await drain(room.id);
    }
    expect((await searchFor(b.token, secret)).length).toBe(2);
    await setFault(faulty.id, true);

    const res = await api('/me/delete', {
      method: 'POST',
      token: a.token,
      json: { password: GOOD_PASSWORD },
    });
    expect(res.status).toBe(200);
    // The account is gone at once: no session, no sign-in, the tombstone's name.
    await expectError(await api('/me', { token: a.token }), 401, 'session_expired');
    const login = await api('/auth/login', {
      method: 'POST',
      json: { username: a.username, password: GOOD_PASSWORD },
    });
    await expectError(login, 401, 'invalid_credentials');
    // The healthy room is erased; the faulty one is pending, its text still there.
    await drain(fine.id);
    expect(await readableTexts(a.id, fine.id)).toEqual([]);
    expect(await readableTexts(a.id, faulty.id)).toEqual([`in ${faulty.name}: ${secret}`]);
    expect(await erasure(a.id)).toMatchObject({
      finished_at: null,
      attempts: 1,
      pending: 1,
      last_error: expect.stringContaining('test fault'),
    });

    // A sweep soon after leaves it to the request that started it; a later one, while the
    // room still refuses, tries and fails again.
    await runSweep();
    expect(await erasure(a.id)).toMatchObject({ attempts: 1, pending: 1 });
    await env.DB.prepare(
      'UPDATE account_erasures SET started_at = started_at - 120000 WHERE user_id = ?1',
    )
      .bind(a.id)
      .run();
    await runSweep();
    expect(await erasure(a.id)).toMatchObject({ finished_at: null, attempts: 2, pending: 1 });

    // The room answers again: the next sweep finishes the deletion.
    await setFault(faulty.id, false);
    await runSweep();
    expect(await erasure(a.id)).toMatchObject({
      finished_at: expect.any(Number),
      attempts: 3,
      pending: 0,
      last_error: null,
    });
    await drain(faulty.id);
    expect(await readableTexts(a.id, faulty.id)).toEqual([]);
    expect(await searchFor(b.token, secret)).toEqual([]);
    const page = await history(faulty.id, b.token);
    expect(
      page.messages.filter((m) => m.author.id === a.id).map((m) => [m.deleted, m.text]),
    ).toEqual([[true, '']]);
    const replay = await openRoom(faulty.id, b.token, 0);
    await replay.q.take((f) => f.type === 'caught_up' || f.type === 'resync');
    expect(JSON.stringify(replay.q.frames)).not.toContain(secret);
    replay.close();
    const memberships = await env.DB.prepare(
      'SELECT count(*) AS n FROM memberships WHERE user_id = ?1',
    )
      .bind(a.id)
      .first<{ n: number }>();
    expect(memberships?.n).toBe(0);
    // A finished deletion is not picked up again.
    await runSweep();
    expect((await erasure(a.id))?.attempts).toBe(3);
  });

  it('finishes in the request when every room answers', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    await say(s, 'soon gone');
    const res = await api('/me/delete', {
      method: 'POST',
      token: a.token,
      json: { confirm: true },
    });
    expect(res.status).toBe(200);
    expect(await erasure(a.id)).toMatchObject({
      finished_at: expect.any(Number),
      attempts: 1,
      pending: 0,
    });
  });
});
