/**
 * Setting changes that queue at a room's object share a step (src/durable/setting-steps.ts):
 * a storm of joins costs a few D1 batches, every join is still announced once in the room's
 * order and reaches the joiner's hub, one failing change does not sink its companions, and a
 * ban that wins the race against a join is refused, not answered 200.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  activityIn,
  api,
  createRoom,
  expectError,
  guest,
  openLobby,
  openRoom,
  say,
  noticeOf,
  subscribed,
  type Guest,
} from '../helpers';
import { eventually, type Frame } from '../socket-client';
import type { Room } from '../../src/durable/room';
import { SettingSteps } from '../../src/durable/setting-steps';

const roomStub = (roomId: string) => env.ROOM.get(env.ROOM.idFromName(roomId));

const joinedNotice = noticeOf('joined');

async function members(roomId: string): Promise<Set<string>> {
  const { results } = await env.DB.prepare('SELECT user_id FROM memberships WHERE room_id = ?1')
    .bind(roomId)
    .all<{ user_id: string }>();
  return new Set(results.map((r) => r.user_id));
}

describe('a storm of joins', () => {
  it('shares steps, and announces each join once, in order, to the room and the joiner’s hub', async () => {
    const owner = await guest();
    const room = await createRoom(owner.token);
    const watcher = await openRoom(room.id, owner.token);
    const people: Guest[] = [];
    for (let i = 0; i < 30; i += 1) people.push(await guest());
    // A hub subscribes its online users' rooms: a third of the joiners have their lobby open.
    const online = people.filter((_, i) => i % 3 === 0);
    const lobbies = [];
    for (const p of online) lobbies.push(await openLobby(p));

    const answers = await Promise.all(
      people.map((p) =>
        api(`/rooms/${room.id}/join`, { method: 'POST', json: {}, token: p.token }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(people.map(() => 200));

    const notices: Frame[] = [];
    for (const _ of people) notices.push(await watcher.q.take(joinedNotice, 5000, 'a join'));
    const subjects = notices.map((f) => (f.notice as { subject: { id: string } }).subject.id);
    expect(new Set(subjects)).toEqual(new Set(people.map((p) => p.id)));
    const seqs = notices.map((f) => f.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // Each notice carries the count right after its own join, shared steps or not: 2, 3, … 31.
    const counts = notices.map((f) => (f.notice as { memberCount?: number }).memberCount);
    expect(counts).toEqual(people.map((_, i) => i + 2));
    expect(await members(room.id)).toEqual(new Set([owner.id, ...people.map((p) => p.id)]));
    await subscribed(room.id, online);
    // Each online joiner's hub follows the room for them: a message reaches their chat list.
    await say(watcher, 'welcome, all of you');
    for (const lobby of lobbies) await lobby.q.take(activityIn(room.id), 5000, 'activity');

    const { settingSteps } = await roomStub(room.id).getStats();
    expect(settingSteps.changes).toBe(30);
    // Sent at once, they queued behind the first step and shared the ones after it.
    expect(settingSteps.steps).toBeLessThan(settingSteps.changes);
  });

  it('refuses a join whose write finds a ban made after the route’s own check', async () => {
    const owner = await guest();
    const room = await createRoom(owner.token);
    const watcher = await openRoom(room.id, owner.token);
    const late = await guest();
    const stub = roomStub(room.id);
    const steps = (room: Room) => (room as unknown as { settingSteps: SettingSteps }).settingSteps;
    const queued = () =>
      runInDurableObject(
        stub,
        (room: Room) => (steps(room) as unknown as { queue: unknown[] }).queue.length,
      );

    // Hold the room's steps with one that waits, so the ban is queued but not yet written…
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await runInDurableObject(stub, (room: Room) => {
      void steps(room).run({ writes: [{ sql: 'SELECT 1', params: [] }], announce: () => held });
    });
    const banning = api(`/rooms/${room.id}/bans/${late.id}`, {
      method: 'PUT',
      json: {},
      token: owner.token,
    });
    await eventually(async () => ((await queued()) === 1 ? true : undefined));
    // …when the join's route checks for one: none yet, so its write is queued after the ban.
    const joining = api(`/rooms/${room.id}/join`, { method: 'POST', json: {}, token: late.token });
    await eventually(async () => ((await queued()) === 2 ? true : undefined));
    release();

    expect((await banning).status).toBe(200);
    await expectError(await joining, 403, 'banned');
    const notice = await watcher.q.take((f) => f.type === 'notice', 5000, 'the ban');
    expect((notice.notice as { kind: string }).kind).toBe('banned');
    expect(await members(room.id)).toEqual(new Set([owner.id]));
  });
});

describe('a shared step', () => {
  const taken = `steps-${crypto.randomUUID()}`;
  const insertName = (name: string) => ({
    sql: 'INSERT INTO room_name_test (name) VALUES (?1)',
    params: [name],
  });

  it('writes each change alone when one of them fails, so only that one gets the error', async () => {
    await env.DB.exec('CREATE TABLE IF NOT EXISTS room_name_test (name TEXT PRIMARY KEY)');
    const steps = new SettingSteps(() => env.DB);
    const announced: string[] = [];
    const change = (name: string) =>
      steps.run({
        writes: [insertName(name)],
        announce: async (first) => {
          announced.push(name);
          return first.meta.changes;
        },
      });
    // The first change starts a step at once; the next three queue behind it and share one.
    const first = change(taken);
    const b = change(`${taken}-b`);
    const clash = change(taken);
    const d = change(`${taken}-d`);
    expect(await first).toBe(1);
    await expect(clash).rejects.toThrow(/UNIQUE/);
    expect([await b, await d]).toEqual([1, 1]);
    expect(announced).toEqual([taken, `${taken}-b`, `${taken}-d`]);
    expect(steps.stats).toEqual({ steps: 2, changes: 4, alone: 1 });
  });

  it('tells one person’s hub in the order of their changes, and skips what changed nothing', async () => {
    await env.DB.exec('CREATE TABLE IF NOT EXISTS room_name_test (name TEXT PRIMARY KEY)');
    const steps = new SettingSteps(() => env.DB);
    const told: string[] = [];
    const change = (name: string, userId: string, op: string, delayMs: number) =>
      steps.run({
        writes: [
          { sql: 'INSERT OR IGNORE INTO room_name_test (name) VALUES (?1)', params: [name] },
        ],
        announce: async (first) => (first.meta.changes === 0 ? null : name),
        hub: {
          userId,
          tell: async () => {
            await new Promise((resolve) => setTimeout(resolve, delayMs));
            told.push(`${userId}:${op}`);
          },
        },
      });
    const lead = change(`${taken}-lead`, 'x', 'lead', 0);
    const results = await Promise.all([
      lead,
      change(`${taken}-1`, 'ana', 'joined', 20),
      change(`${taken}-2`, 'ben', 'joined', 0),
      change(`${taken}-3`, 'ana', 'left', 0),
      change(`${taken}-1`, 'cai', 'joined', 0), // a duplicate: changes nothing, not announced
    ]);
    expect(results).toEqual([`${taken}-lead`, `${taken}-1`, `${taken}-2`, `${taken}-3`, null]);
    // Ana's join waited 20 ms and her leave still came after it; Ben did not wait for her.
    expect(told.indexOf('ana:joined')).toBeLessThan(told.indexOf('ana:left'));
    expect(told.indexOf('ben:joined')).toBeLessThan(told.indexOf('ana:joined'));
    expect(told).not.toContain('cai:joined');
    expect(steps.stats.steps).toBe(2);
  });
});
