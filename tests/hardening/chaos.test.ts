/**
 * Chaos against a real `wrangler dev`: resilient clients send, edit and delete while the
 * test drops them, SIGKILLs the server, lets the room hibernate, floods never-reading
 * sockets and resumes at the replay window's edges. The Ledger then compares what every
 * client saw with D1. Rooms have more than ROOM_DIRECT_SOCKETS (5) sockets: relays are in
 * the path. The seed is printed; PARLOR_SEED replays the test's choices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/shared/limits';
import { ApiClient, eventually } from '../e2e/client';
import { RawSocket } from '../e2e/raw-socket';
import { DevServer } from '../e2e/server';
import type { ChaosClient } from './chaos-client';
import {
  ghost,
  resumeAt,
  resumeProblems,
  roomWith,
  sendReceipts,
  settle,
  startClients,
} from './chaos-room';
import { Ledger } from './ledger';
import { checkLog, keepLog } from './log';
import { runRng, SOAK } from './rng';
import { fullHistory } from './room-view';

const server = new DevServer({
  BENCH: '1',
  MESSAGE_BURST: '100000',
  MESSAGE_RATE_PER_SECOND: '100000',
  MESSAGE_BURST_ALL_CHATS: '100000',
  MESSAGE_RATE_ALL_CHATS_PER_SECOND: '100000',
  // One user reconnects hundreds of times here on purpose: the connect rate is not under test.
  CONNECT_BURST: '100000',
  CONNECT_RATE_PER_SECOND: '100000',
});
const rng = runRng('chaos');
const faults: Record<string, number> = {};
const count = (fault: string, n = 1) => (faults[fault] = (faults[fault] ?? 0) + n);
const started = Date.now();
let api: ApiClient;

beforeAll(async () => {
  await server.start();
  api = new ApiClient(server.url);
});
afterAll(async () => {
  faults['seconds'] = Math.round((Date.now() - started) / 1000);
  console.log(`[hardening] chaos figures (seed ${rng.seed})`);
  console.table(faults);
  keepLog(server.log, 'chaos');
  await server.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stats = async (roomId: string, token: string) =>
  (await api.call(`/_bench/rooms/${roomId}/stats`, { token })).body as {
    events: number;
    lastSeq: number;
    sockets: number;
    relays: number[];
  };

/** Random sends, edits, deletes and drops every 50 ms until `stop` is set. */
function traffic(clients: ChaosClient[], r: typeof rng) {
  const state = { stop: false, drops: true };
  const done = (async () => {
    while (!state.stop) {
      for (const c of clients) {
        if (r.chance(0.07)) c.send();
        if (r.chance(0.01)) c.change('edit');
        if (r.chance(0.004)) c.change('delete');
      }
      if (state.drops && r.chance(0.04)) {
        r.pick(clients).drop(r.chance(0.5), r.int(0, 1500));
        count('client drops (then resume with after=)');
      }
      await sleep(50);
    }
  })();
  return { state, done };
}

/** Stops the clients and checks their views, a fresh replay and D1 against the ledger. */
async function verify(ledger: Ledger, clients: ChaosClient[], roomId: string) {
  const token = clients[0]!.user.token;
  const latest = await eventually(async () => {
    const seq = await settle(clients);
    const { lastSeq } = await stats(roomId, token);
    return lastSeq === seq ? seq : undefined;
  }, 90_000);
  // Retries of acknowledged sends, after kills and naps: the same seq back, nothing stored.
  count(
    'retries of acknowledged sends',
    sum(clients, (c) => c.probeRetries(3)),
  );
  await settle(clients);
  expect((await stats(roomId, token)).lastSeq).toBe(latest);
  const [observer] = await startClients(server.url, ledger, rng.fork('observer'), roomId, [
    clients[0]!.user,
  ]);
  const history = await eventually(async () => {
    const h = await fullHistory(server.url, roomId, token);
    return h.roomSeq === latest ? h.rows : undefined;
  }, 30_000);
  for (const c of [...clients, observer!]) c.stop();
  const views = new Map(clients.map((c) => [c.name, c.view]));
  views.set('observer', observer!.view);
  const problems = ledger.verify(views, history, latest);
  count('messages acknowledged', ledger.acks.size);
  count('events checked (seq)', latest);
  count(
    'resends with the same clientId',
    sum(clients, (c) => c.counts.resends),
  );
  count(
    'resyncs (history, then resume)',
    sum(clients, (c) => c.counts.resyncs),
  );
  expect(problems.slice(0, 20)).toEqual([]);
}

const sum = (clients: ChaosClient[], f: (c: ChaosClient) => number) =>
  clients.reduce((n, c) => n + f(c), 0);

describe('chaos', () => {
  it('keeps every acknowledged message once, in one gapless order on every client and in D1, through drops, kills, double senders, ghosts and a nap', async () => {
    const ledger = new Ledger();
    const { users, roomId } = await roomWith(api, 10, 'chaos');
    // Two of the ten resend every frame twice.
    const clients = await startClients(server.url, ledger, rng, roomId, users, (i) => ({
      double: i % 5 === 4,
    }));
    const fanout = await stats(roomId, users[0]!.token);
    expect(fanout.relays.length).toBeGreaterThan(0);
    const ghosts: RawSocket[] = [];
    const run = traffic(clients, rng.fork('traffic'));
    const kills = 3 * SOAK;
    for (let k = 0; k < kills; k += 1) {
      const how = rng.pick(['leave', 'logout'] as const);
      const g = await ghost(api, server.url, roomId, ledger, rng, how);
      ghosts.push(g.raw);
      expect(g.code).toBe(how === 'leave' ? 1000 : 1008);
      count('ghosts: closed, ignored the close, kept sending');
      await sleep(rng.int(3000, 8000));
      // A burst, then the kill within 0–60 ms: some sends acknowledged, some stored but not
      // acknowledged, some never arrived. Their retries must all end with one seq each.
      for (const c of clients) for (let i = 0; i < 3; i += 1) c.send();
      await sleep(rng.int(0, 60));
      count(
        'sends in flight at a kill',
        sum(clients, (c) => c.pending.size),
      );
      // Mid-stream: the traffic keeps sending while the server is down and restarting.
      await server.restart();
      count('server SIGKILLed and restarted mid-stream');
    }
    await sleep(3000);
    // A nap: no one sends, the room and its relays hibernate, then a burst wakes them.
    run.state.stop = true;
    await run.done;
    await settle(clients);
    expect((await stats(roomId, users[0]!.token)).events).toBeGreaterThan(0);
    await sleep(12_000);
    const napped = await stats(roomId, users[0]!.token);
    // A fresh instance starts its event counter at zero: the object really hibernated.
    expect(napped.events).toBe(0);
    count('hibernations between bursts');
    for (const c of clients) for (let i = 0; i < 5; i += 1) c.send();
    const after = traffic(clients, rng.fork('after the nap'));
    await sleep(4000);
    after.state.stop = true;
    await after.done;
    await verify(ledger, clients, roomId);
    for (const g of ghosts) g.destroy();
    checkLog(server.log);
  });

  it('closes sockets that never read with 4000 (one ignores the close) while the others get everything, and resumes at the replay window’s edges whole or with resync, quiet and under load', async () => {
    const ledger = new Ledger();
    const { users, roomId } = await roomWith(api, 7, 'flood');
    const [sender, r1, r2, stalledUser, r3, r4, rawUser] = users as [
      (typeof users)[0],
      ...typeof users,
    ];
    const r = rng.fork('flood');
    // Socket order: the stalled `ws` client is the room's fourth, the raw one on a relay.
    const clients = await startClients(server.url, ledger, r, roomId, [sender, r1!, r2!]);
    const stalled = await api.open(`/rooms/${roomId}/ws`, stalledUser!.token);
    stalled.ws.pause();
    clients.push(...(await startClients(server.url, ledger, r, roomId, [r3!, r4!], () => ({}), 3)));
    const raw = await RawSocket.open(server.url, `/rooms/${roomId}/ws`, rawUser!.token);
    raw.pause();
    expect((await stats(roomId, sender.token)).relays).toEqual([2]);

    // Past LIMITS.unsentChars to each never-reader, in rounds that wait for their acks. The
    // size keeps a whole window's replay (1,000 frames) under LIMITS.unsentChars: a replay
    // larger than that is closed with 4000 at the next live frame, before the client's receipt
    // for the replay can arrive (documented; the client then resumes from the replay's end).
    const flooder = clients[0]!;
    const size = 3700;
    const total = Math.ceil(LIMITS.unsentChars / size) + 100;
    for (let sent = 0; sent < total;) {
      const round = Math.min(100, total - sent);
      for (let i = 0; i < round; i += 1) {
        flooder.send(`${sent + i} ${r.hex(8)} ${'x'.repeat(size - 20)}`);
      }
      await eventually(async () => (flooder.pending.size === 0 ? true : undefined), 90_000);
      sent += round;
    }
    stalled.ws.resume();
    expect((await stalled.q.closedWith(60_000)).code).toBe(4000);
    raw.resume();
    expect((await raw.q.closedWith(60_000)).code).toBe(4000);
    count('never-readers closed with 4000', 2);
    for (let i = 0; i < 3; i += 1) {
      const text = `ghost ${r.hex(12)}`;
      ledger.ghostTexts.add(text);
      raw.send({ type: 'send', clientId: `ghost-${r.hex(12)}`, text });
    }
    count('ghosts: closed, ignored the close, kept sending');
    const latest = await settle(clients);

    // Quiet edges: exactly the window, one more, the newest seq, beyond it.
    const window = LIMITS.replayEvents;
    const edges: [number, 'caught_up' | 'resync'][] = [
      [latest - window - 1, 'resync'],
      [latest - window, 'caught_up'],
      [latest - window + 1, 'caught_up'],
      [latest, 'caught_up'],
      [latest + 1, 'resync'],
    ];
    for (const [after, end] of edges) {
      const { outcome, socket } = await resumeAt(api, roomId, sender.token, after);
      socket.close();
      expect(outcome.end).toBe(end);
      expect(resumeProblems(after, window, outcome)).toEqual([]);
      count('resumes at the window’s edges, quiet');
    }

    // Under load: the flooder keeps sending while sockets resume around the edge.
    let sending = true;
    const load = (async () => {
      for (let i = 0; sending; i += 1) {
        flooder.send(`load ${i} ${r.hex(8)}`);
        await sleep(25);
      }
    })();
    for (let i = 0; i < 10 * SOAK; i += 1) {
      const after = flooder.view.lastSeq - window + r.int(-3, 3);
      const { outcome, socket } = await resumeAt(api, roomId, sender.token, after);
      expect(resumeProblems(after, window, outcome)).toEqual([]);
      if (outcome.end === 'caught_up') {
        // Live events follow the replay with no gap.
        const next = await socket.q.take((f) => f.type === 'message', 10_000);
        expect(next.seq).toBe(outcome.seq + 1);
      }
      socket.close();
      count(`resumes at the window’s edge under load: ${outcome.end}`);
    }
    sending = false;
    await load;
    await verify(ledger, clients, roomId);
    raw.destroy();
    checkLog(server.log);
  });

  // Found by the soak (PARLOR_SOAK=1, seed 1201578876): "a message was deleted twice".
  it('refuses a second delete, and an edit, of a message older than the replay log, sent right after its delete', async () => {
    const { users, roomId } = await roomWith(api, 1, 'old');
    const token = users[0]!.token;
    const s = await api.open(`/rooms/${roomId}/ws`, token);
    sendReceipts(s);
    // 1,002 messages: once copied to D1 the log keeps the newest 1,000, so 1 and 2 have left it.
    const ids = Array.from({ length: LIMITS.replayEvents + 2 }, (_, n) => `old-${n}-${rng.hex(8)}`);
    for (const [n, id] of ids.entries()) s.send({ type: 'send', clientId: id, text: `m${n + 1}` });
    await s.q.take((f) => f.type === 'ack' && f.clientId === ids.at(-1), 60_000);
    await eventually(async () => {
      const h = await fullHistory(server.url, roomId, token);
      return h.roomSeq === ids.length ? true : undefined;
    }, 30_000);
    s.q.frames.length = 0;
    s.send({ type: 'delete', target: 1 });
    s.send({ type: 'delete', target: 1 });
    s.send({ type: 'delete', target: 2 });
    s.send({ type: 'edit', target: 2, text: 'edited after its delete' });
    s.send({ type: 'send', clientId: `marker-${rng.hex(8)}`, text: 'marker' });
    await s.q.take((f) => f.type === 'message', 10_000);
    const changes = s.q.frames
      .filter((f) => f.type === 'delete' || f.type === 'edit' || f.type === 'error')
      .map((f) => `${f.type} ${f.target ?? f.ref} ${f.code ?? ''}`.trim());
    s.close();
    expect(changes).toEqual([
      'delete 1',
      'error 1 message_not_found',
      'delete 2',
      'error 2 message_not_found',
    ]);
  });
});
