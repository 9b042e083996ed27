/** Setting up chaos rooms and the misbehaving clients that are not ChaosClients. */
import { LIMITS } from '../../src/shared/limits';
import { ApiClient, eventually, type E2eUser } from '../e2e/client';
import { RawSocket } from '../e2e/raw-socket';
import { ChaosClient, type ChaosOptions } from './chaos-client';
import type { Frame } from '../socket-client';
import type { Ledger } from './ledger';
import type { Rng } from './rng';

/** A new public room with `n` fresh guests as members (the first created it). */
export async function roomWith(api: ApiClient, n: number, label: string) {
  const users = await Promise.all(Array.from({ length: n }, () => api.guest()));
  const { status, body } = await api.call('/rooms', {
    json: { name: `${label} ${crypto.randomUUID().slice(0, 8)}` },
    token: users[0]!.token,
  });
  if (status !== 201) throw new Error(`room: ${status} ${JSON.stringify(body)}`);
  const roomId = (body.room as { id: string }).id;
  for (const u of users.slice(1)) await join(api, roomId, u);
  return { users, roomId };
}

export async function join(api: ApiClient, roomId: string, user: E2eUser): Promise<void> {
  const { status } = await api.call(`/rooms/${roomId}/join`, { json: {}, token: user.token });
  if (status !== 200) throw new Error(`join: ${status}`);
}

/** ChaosClients for `users`, started one after another (the first five on the room itself). */
export async function startClients(
  base: string,
  ledger: Ledger,
  rng: Rng,
  roomId: string,
  users: E2eUser[],
  options: (i: number) => ChaosOptions = () => ({}),
  first = 0,
): Promise<ChaosClient[]> {
  const clients: ChaosClient[] = [];
  for (const [i, user] of users.entries()) {
    const name = `c${first + i}`;
    const client = new ChaosClient(name, user, roomId, base, ledger, rng.fork(name), options(i));
    client.start();
    await eventually(async () => (client.settled ? true : undefined), 20_000);
    clients.push(client);
  }
  return clients;
}

/**
 * A client that ignores close frames: a new member opens a raw socket, is then closed by
 * the server (leaving: 1000; logging out: 1008), never answers, and keeps sending messages
 * and typing on it. Returns the close code it was sent; its texts must never be stored.
 */
export async function ghost(
  api: ApiClient,
  base: string,
  roomId: string,
  ledger: Ledger,
  rng: Rng,
  how: 'leave' | 'logout',
): Promise<{ code: number; raw: RawSocket }> {
  const user = await api.guest();
  await join(api, roomId, user);
  const raw = await RawSocket.open(base, `/rooms/${roomId}/ws`, user.token);
  const path = how === 'leave' ? `/rooms/${roomId}/leave` : '/auth/logout';
  const { status } = await api.call(path, { json: {}, token: user.token });
  if (status !== 200) throw new Error(`${how}: ${status}`);
  const { code } = await raw.q.closedWith(15_000);
  for (let i = 0; i < 3; i += 1) {
    const text = `ghost ${rng.hex(12)}`;
    ledger.ghostTexts.add(text);
    raw.send({ type: 'send', clientId: `ghost-${rng.hex(12)}`, text });
    raw.send({ type: 'typing' });
  }
  return { code, raw };
}

/** Waits until every client is connected, caught up, acknowledged and at the same seq. */
export async function settle(clients: ChaosClient[], timeoutMs = 90_000): Promise<number> {
  return eventually(async () => {
    const seqs = new Set(clients.map((c) => c.view.lastSeq));
    return clients.every((c) => c.settled) && seqs.size === 1 ? [...seqs][0]! : undefined;
  }, timeoutMs);
}

type Opened = Awaited<ReturnType<ApiClient['open']>>;

/**
 * Reads like the web client: a receipt every LIMITS.receiptChars characters. Without them
 * a whole replay of the window (1,000 events of ~4 KB) already passes LIMITS.unsentChars and
 * the next frame closes the socket with 4000, as documented.
 */
export function sendReceipts(socket: Opened): void {
  let unreported = 0;
  socket.ws.on('message', (data) => {
    unreported += String(data).length;
    if (unreported < LIMITS.receiptChars) return;
    socket.send({ type: 'received', chars: unreported });
    unreported = 0;
  });
}

export interface ResumeOutcome {
  end: 'caught_up' | 'resync';
  /** The seq caught_up or resync named. */
  seq: number;
  /** Seqs of the events replayed before it. */
  replayed: number[];
}

/**
 * Opens a socket with `after` and reads to caught_up or resync. The rule, race-free even
 * while others send: caught_up at S means the gap S − after was at most the window and
 * every seq after+1..S was replayed, in order; resync at S means the gap was larger (or
 * `after` beyond S) and nothing was replayed. Returns the outcome and the open socket.
 */
export async function resumeAt(api: ApiClient, roomId: string, token: string, after: number) {
  const s = await api.open(`/rooms/${roomId}/ws?after=${after}`, token);
  sendReceipts(s);
  const isEnd = (f: Frame) => f.type === 'caught_up' || f.type === 'resync';
  await eventually(async () => (s.q.frames.some(isEnd) ? true : undefined), 60_000);
  // What came before the end frame is the replay; what is left in the queue is live.
  const before = s.q.frames.splice(0, s.q.frames.findIndex(isEnd) + 1);
  const endFrame = before.pop()!;
  const replayed = before
    .filter((f) => f.type === 'message' || f.type === 'edit' || f.type === 'delete')
    .map((f) => f.seq as number);
  const outcome: ResumeOutcome = {
    end: endFrame.type as ResumeOutcome['end'],
    seq: endFrame.seq as number,
    replayed,
  };
  return { outcome, socket: s };
}

export function resumeProblems(after: number, window: number, o: ResumeOutcome): string[] {
  const gap = o.seq - after;
  if (o.end === 'resync') {
    const ok = (gap > window || after > o.seq) && o.replayed.length === 0;
    return ok ? [] : [`after=${after}: resync at ${o.seq} (replayed ${o.replayed.length})`];
  }
  const whole = Array.from({ length: Math.max(0, gap) }, (_, i) => after + 1 + i);
  const ok = gap >= 0 && gap <= window && o.replayed.join() === whole.join();
  return ok ? [] : [`after=${after}: caught_up at ${o.seq} after ${o.replayed.length} events`];
}
