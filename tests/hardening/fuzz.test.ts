/**
 * The live fuzzer against a real `wrangler dev`: ≥ 10,000 mutated frames on room sockets
 * (on the room and on a relay) and lobby sockets, and ≥ 2,000 mutated HTTP requests on
 * every route, all at once, while a well-behaved client keeps sending in the same room.
 * Never a 5xx, never an uncaught exception in the log, every refusal in the documented
 * shape, and the well-behaved client's messages acknowledged in order, unforged, in D1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, eventually } from '../e2e/client';
import { DevServer } from '../e2e/server';
import { roomWith, startClients } from './chaos-room';
import { barrierFrame, fuzzFrame } from './fuzz-frames';
import { fuzzRequest, sendAndCheck, type FuzzContext } from './fuzz-http';
import { fuzzUpgrade } from './fuzz-upgrade';
import { FuzzSocket, type FuzzStats } from './fuzz-socket';
import { Ledger } from './ledger';
import { checkLog, keepLog } from './log';
import { runRng, SOAK, type Rng } from './rng';
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
const rng = runRng('fuzz');
let api: ApiClient;

beforeAll(async () => {
  await server.start();
  api = new ApiClient(server.url);
});
afterAll(async () => {
  keepLog(server.log, 'fuzz');
  await server.stop();
});

const WINDOW = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `total` fuzz frames to one socket, a barrier after every WINDOW of them. */
async function fuzzSocket(
  sock: FuzzSocket,
  kind: 'room' | 'lobby',
  total: number,
  r: Rng,
  latestSeq: () => number,
  forged: Record<string, never>,
): Promise<void> {
  await sock.open();
  for (let sent = 0; sent < total;) {
    for (let i = 0; i < WINDOW && sent < total; i += 1, sent += 1) {
      const frame = fuzzFrame(r, kind, latestSeq(), forged);
      await sock.send(frame.kind, frame.data, frame.asText);
      if (frame.mayClose) sock.mayClose.push(...frame.mayClose);
    }
    const ref = `barrier-${r.hex(12)}`;
    await sock.barrier(barrierFrame(kind, ref), ref);
  }
  sock.close();
}

describe('live fuzzer', () => {
  it('answers 10,000 mutated frames and 2,000 mutated requests only as documented, while a well-behaved client in the room is unaffected', async () => {
    const started = Date.now();
    const ledger = new Ledger();
    const { users, roomId } = await roomWith(api, 9, 'fuzz');
    const [good, p1, p2, f1, f2, h1, h2, h3, u1] = users as [(typeof users)[0], ...typeof users];
    // The well-behaved client and two readers first: the fuzzers' second sockets land on a relay.
    const clients = await startClients(server.url, ledger, rng.fork('good'), roomId, [
      good,
      p1!,
      p2!,
    ]);
    const stats: FuzzStats = { frames: {}, errors: {}, closes: {}, problems: [] };
    const wsBase = server.url.replace('http', 'ws');
    const roomUrl = `${wsBase}/api/rooms/${roomId}/ws`;
    const lobbyUrl = `${wsBase}/api/lobby/ws`;
    // Forged server-owned fields: the well-behaved user's ref as author, a seq, an id.
    const forged = {
      author: { id: good.id, name: good.name, color: '#000', guest: false },
      seq: 1,
      id: 'forged',
    } as never;
    const latest = () => clients[0]!.view.lastSeq;
    const perRoomSocket = 2100 * SOAK;
    const perLobbySocket = 1000 * SOAK;
    const sockets: Promise<void>[] = [];
    for (const [i, user] of [f1!, f2!, f1!, f2!].entries()) {
      const sock = new FuzzSocket(`room${i}`, roomUrl, user, server.url, stats);
      sockets.push(fuzzSocket(sock, 'room', perRoomSocket, rng.fork(`room${i}`), latest, forged));
      await sleep(300);
    }
    for (const [i, user] of [f1!, f2!].entries()) {
      const sock = new FuzzSocket(`lobby${i}`, lobbyUrl, user, server.url, stats);
      sockets.push(
        fuzzSocket(sock, 'lobby', perLobbySocket, rng.fork(`lobby${i}`), latest, forged),
      );
    }

    // HTTP, at the same time: four requests in flight.
    const ctx: FuzzContext = {
      base: server.url,
      tokens: [h1!.token, h2!.token, h3!.token],
      roomIds: [roomId, 'global', [good.id, p1!.id].sort().join(':').replace(/^/, 'dm:')],
      userIds: users.map((u) => u.id),
    };
    const statuses: Record<string, number> = {};
    const httpProblems: string[] = [];
    const httpTotal = 2100 * SOAK;
    let issued = 0;
    const hr = rng.fork('http');
    const worker = async () => {
      while (issued < httpTotal) {
        issued += 1;
        const req = fuzzRequest(hr, ctx);
        const answer = await sendAndCheck(req);
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.problem) httpProblems.push(answer.problem);
        // A fuzzed logout ended a fuzz user's session: give the pool a fresh one.
        if (req.url.includes('/auth/logout') && answer.status === 200 && req.token) {
          const fresh = await api.guest();
          ctx.tokens[ctx.tokens.indexOf(req.token)] = fresh.token;
        }
      }
    };
    const http = Promise.all([worker(), worker(), worker(), worker()]);

    // Upgrades, one at a time, at the same time.
    const upgrades: Record<string, number> = {};
    const upgradeProblems: string[] = [];
    const ur = rng.fork('upgrades');
    const upgradeCtx = {
      base: server.url,
      token: u1!.token,
      roomIds: ctx.roomIds.concat('nope'),
      latestSeq: latest,
    };
    const upgrading = (async () => {
      for (let i = 0; i < 300 * SOAK; i += 1) {
        const { outcome, problem } = await fuzzUpgrade(ur, upgradeCtx);
        upgrades[outcome] = (upgrades[outcome] ?? 0) + 1;
        if (problem) upgradeProblems.push(problem);
      }
    })();

    // The well-behaved client sends throughout.
    let fuzzing = true;
    const steady = (async () => {
      while (fuzzing) {
        clients[0]!.send();
        await sleep(200);
      }
    })();
    await Promise.all([...sockets, http, upgrading]);
    fuzzing = false;
    await steady;
    // And after: five more, all acknowledged in order.
    for (let i = 0; i < 5; i += 1) clients[0]!.send();
    await eventually(async () => {
      const unsettled = clients.filter((c) => !c.settled);
      if (unsettled.length > 0) throw new Error(unsettled.map((c) => c.state).join('; '));
      return true;
    }, 60_000);

    const frames = Object.values(stats.frames).reduce((a, b) => a + b, 0);
    console.log(`[hardening] fuzz figures (seed ${rng.seed})`);
    console.table({
      'frames (room and lobby sockets)': frames,
      'HTTP requests': issued,
      'WebSocket upgrades': Object.values(upgrades).reduce((a, b) => a + b, 0),
      seconds: Math.round((Date.now() - started) / 1000),
    });
    console.table(stats.frames);
    console.table({ ...stats.errors, ...prefix('close ', stats.closes) });
    console.table(statuses);
    console.table(upgrades);

    expect(stats.problems.slice(0, 20)).toEqual([]);
    expect(httpProblems.slice(0, 20)).toEqual([]);
    expect(upgradeProblems.slice(0, 20)).toEqual([]);
    expect(frames).toBeGreaterThanOrEqual(10_000);
    expect(issued).toBeGreaterThanOrEqual(2_000);
    expect(ledger.anomalies).toEqual([]);
    // The good client's messages: acked in the order sent, as sent, by it, and nothing else
    // bears its name.
    const sends = [...ledger.sends].filter(([, s]) => s.by === clients[0]!.name);
    const seqs = sends.map(([cid]) => ledger.acks.get(cid)!);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
    // D1 lags the live stream by its copy, which a soak's thousands of messages lengthen.
    let seen = '';
    const rows = await eventually(async () => {
      const h = await fullHistory(server.url, roomId, good.token);
      seen = `D1 at roomSeq ${h.roomSeq}, the client at ${clients[0]!.view.lastSeq}`;
      return h.roomSeq === clients[0]!.view.lastSeq ? h.rows : undefined;
    }, 60_000).catch(async (err: Error) => {
      const copy = await api.call(`/_bench/rooms/${roomId}/stats`, { token: good.token });
      throw new Error(`${err.message}: ${seen}; the room: ${JSON.stringify(copy.body)}`);
    });
    const mine = rows.filter((m) => m.author.id === good.id);
    expect(mine.map((m) => `${m.seq}|${m.text}|${m.deleted}|${m.editedAt}`)).toEqual(
      sends.map(([cid, s]) => `${ledger.acks.get(cid)}|${s.text}|false|null`),
    );
    for (const c of clients) {
      const seen = [...c.view.messages].filter(([, m]) => m.authorId === good.id);
      expect(seen.map(([seq]) => seq)).toEqual(seqs);
      c.stop();
    }
    checkLog(server.log);
  });
});

const prefix = (p: string, t: Record<string, number>) =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [p + k, v]));
