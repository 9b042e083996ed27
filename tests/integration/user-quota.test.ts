/**
 * Caps per user across every chat and the lobby together (UserQuota): sockets in all, and
 * the message rate across chats. Each room's own caps (10 sockets, a burst of 10 messages)
 * are in sockets.test.ts; these would each let one user multiply them by their chats.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { userQuotaStub } from '../../src/durable/quota-client';
import { hubShardOf } from '../../src/durable/hub-shards';
import {
  connectsPerUser,
  MAX_SOCKETS_PER_USER_TOTAL,
  messageRateAllChats,
  quotaShardCount,
} from '../../src/durable/quota-rules';
import { clientId, connect, createRoom, guest, join, openRoom } from '../helpers';
import { byType, eventually, type Frame } from '../socket-client';

const quotaStub = (userId: string) => userQuotaStub(env, userId);

function sameQuotaShard(a: string, b: string): boolean {
  const shards = quotaShardCount(env);
  expect(shards).toBe(2);
  return hubShardOf(a, shards) === hubShardOf(b, shards);
}

async function openLobby(token: string) {
  const { socket } = await connect('/lobby/ws', token);
  await socket!.q.take(byType('hello'));
  return socket!;
}

describe('sockets per user across all objects', () => {
  it('refuses the thirty-first socket over rooms and the lobby with quota_exceeded and 4029, and takes one again after a close', async () => {
    expect(MAX_SOCKETS_PER_USER_TOTAL).toBe(30);
    const a = await guest();
    const [r1, r2, r3] = [
      await createRoom(a.token),
      await createRoom(a.token),
      await createRoom(a.token),
    ];
    for (let n = 0; n < 10; n += 1) await openLobby(a.token);
    const inR1 = [];
    for (let n = 0; n < 10; n += 1) inR1.push(await openRoom(r1.id, a.token));
    for (let n = 0; n < 10; n += 1) await openRoom(r2.id, a.token);
    expect(await quotaStub(a.id).socketCount(a.id)).toBe(30);

    const { socket } = await connect(`/rooms/${r3.id}/ws`, a.token);
    expect(await socket!.q.take(byType('error'))).toMatchObject({ code: 'quota_exceeded' });
    expect((await socket!.q.closedWith()).code).toBe(4029);
    expect(socket!.q.ofType('hello')).toEqual([]);

    // Someone else kept by the same quota shard is not at anyone's cap but their own.
    let b = await guest();
    while (!sameQuotaShard(a.id, b.id)) b = await guest();
    await join(r3.id, b.token);
    const other = await openRoom(r3.id, b.token);
    expect(other.q.closed).toBeNull();
    expect(await quotaStub(b.id).socketCount(b.id)).toBe(1);
    expect(await quotaStub(a.id).socketCount(a.id)).toBe(30);

    inR1[0]!.close();
    await eventually(async () =>
      (await quotaStub(a.id).socketCount(a.id)) === 29 ? true : undefined,
    );
    const again = await openRoom(r3.id, a.token);
    expect(again.q.closed).toBeNull();
    expect(await quotaStub(a.id).socketCount(a.id)).toBe(30);
  });

  it('refuses a user who connects in a loop with rate_limited and 1013, so the client backs off', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const quota = quotaStub(a.id);
    // Connects taken and given back at once, as a loop of open and close makes them: never
    // at the socket cap, only past the rate.
    let taken = 0;
    let refused: Awaited<ReturnType<typeof quota.takeSocket>> | null = null;
    while (!refused && taken <= 2 * connectsPerUser(env).burst) {
      const grant = await quota.takeSocket(a.id, `room:${room.id}`);
      if (grant.refused) refused = grant;
      else {
        taken += 1;
        await quota.releaseSocket(grant.lease);
      }
    }
    expect(refused).toMatchObject({ refused: 'rate' });
    expect(taken).toBeGreaterThanOrEqual(connectsPerUser(env).burst);
    // A real socket now is told why, and closed with "try again later".
    const { socket } = await connect(`/rooms/${room.id}/ws`, a.token);
    expect(await socket!.q.take(byType('error'))).toMatchObject({ code: 'rate_limited' });
    expect((await socket!.q.closedWith()).code).toBe(1013);
    expect(socket!.q.ofType('hello')).toEqual([]);
    // Someone else is not held up by it.
    const b = await guest();
    await join(room.id, b.token);
    expect((await openRoom(room.id, b.token)).q.closed).toBeNull();
  });

  it('at the cap, forgets leases whose room no longer holds the socket and keeps the live ones', async () => {
    const a = await guest();
    const [r1, r2] = [await createRoom(a.token), await createRoom(a.token)];
    await openRoom(r1.id, a.token);
    // 29 leases whose close never reached the quota (a crash, a deploy), all old.
    await runInDurableObject(quotaStub(a.id), async (_quota, state) => {
      for (let n = 0; n < 29; n += 1) {
        state.storage.sql.exec(
          'INSERT INTO socket_leases (lease, object, user_id, at) VALUES (?, ?, ?, 0)',
          `stale-${n}`,
          `room:${r1.id}`,
          a.id,
        );
      }
      state.storage.sql.exec('UPDATE socket_leases SET at = 0');
    });
    expect(await quotaStub(a.id).socketCount(a.id)).toBe(30);

    await openRoom(r2.id, a.token);
    // The live socket in r1 and the new one in r2.
    expect(await quotaStub(a.id).socketCount(a.id)).toBe(2);
  });
});

describe('messages per user across chats', () => {
  it('refuses sends spread over many chats once the bucket across chats is spent, each chat under its own limit', async () => {
    const { burst, perSecond } = messageRateAllChats(env);
    expect({ burst, perSecond }).toEqual({ burst: 30, perSecond: 5 });
    const owner = await guest();
    const a = await guest();
    const sockets = [];
    for (let n = 0; n < 8; n += 1) {
      const room = await createRoom(owner.token);
      await join(room.id, a.token);
      sockets.push(await openRoom(room.id, a.token));
    }
    const started = Date.now();
    const answers: Frame[] = [];
    for (const socket of sockets) {
      // 10 per chat: within each chat's own burst.
      const ids = Array.from({ length: 10 }, () => clientId());
      for (const id of ids) socket.send({ type: 'send', clientId: id, text: `hi ${id}` });
      const answerTo = (f: Frame) =>
        (f.type === 'ack' && ids.includes(f.clientId as string)) ||
        (f.type === 'error' && ids.includes(f.ref as string));
      const mine = await eventually(async () => {
        const got = socket.q.frames.filter(answerTo);
        return got.length === ids.length ? got : undefined;
      });
      // Frames of one socket are answered in the order sent, also across a token lease.
      expect(mine.map((f) => f.clientId ?? f.ref)).toEqual(ids);
      answers.push(...mine);
    }
    const seconds = (Date.now() - started) / 1000;
    const acks = answers.filter((f) => f.type === 'ack');
    const refused = answers.filter((f) => f.type === 'error');
    expect(acks.length + refused.length).toBe(80);
    // At most the burst plus what refilled meanwhile; without the cap all 80 are stored.
    // Not refused from the start: tokens leased in batches and left unused in a chat cost
    // the user a few, never the bucket's first half.
    expect(acks.length).toBeGreaterThanOrEqual(burst / 2);
    expect(acks.length).toBeLessThanOrEqual(burst + Math.ceil(seconds * perSecond) + 1);
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error).toMatchObject({ code: 'rate_limited' });
      expect(error.retryAfterMs).toBeGreaterThan(0);
    }
  });
});
