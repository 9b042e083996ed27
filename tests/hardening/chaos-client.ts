/**
 * A chat client that survives faults the way the web client must: it reconnects with
 * backoff, resumes with `after=` its highest applied seq, pages history on `resync`, resends
 * every unacknowledged message with the same clientId, and sends receipts. Everything it
 * sends and receives goes to the Ledger; anything the protocol rules out is an anomaly.
 */
import WebSocket from 'ws';
import { LIMITS } from '../../src/shared/limits';
import type { E2eUser } from '../e2e/client';
import type { Frame } from '../socket-client';
import type { Ledger } from './ledger';
import type { Rng } from './rng';
import { fullHistory, RoomView } from './room-view';

export interface ChaosOptions {
  /** Sends every frame twice (a client that retries everything). */
  double?: boolean;
}

export class ChaosClient {
  readonly view = new RoomView();
  /** Sends not yet acknowledged: clientId → text. */
  readonly pending = new Map<string, string>();
  readonly counts = { connects: 0, resends: 0, duplicates: 0, resyncs: 0, refused: 0 };
  readonly closes: Record<number, number> = {};
  private ws: WebSocket | null = null;
  private ready = false;
  caughtUp = false;
  private stopped = false;
  private attempt = 0;
  private awayUntil = 0;
  private n = 0;
  private unreported = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly name: string,
    readonly user: E2eUser,
    readonly roomId: string,
    private readonly base: string,
    private readonly ledger: Ledger,
    private readonly rng: Rng,
    readonly opts: ChaosOptions = {},
  ) {}

  get settled(): boolean {
    return this.ready && this.caughtUp && this.pending.size === 0;
  }

  /** Why it is not settled, for a test's failure message. */
  get state(): string {
    return `${this.name}: ready ${this.ready}, caught up ${this.caughtUp}, ${this.pending.size} unacked, closes ${JSON.stringify(this.closes)}`;
  }

  start(): void {
    this.connect();
  }

  /** Sends a new message (queued until connected; resent until acknowledged). */
  send(text = `${this.name} #${this.n} ${this.rng.hex(8)}`): void {
    const clientId = `${this.name}-${this.n}-${this.rng.hex(8)}`;
    this.n += 1;
    this.pending.set(clientId, text);
    this.ledger.sent(this.name, this.user.id, clientId, text);
    if (this.ready) this.frame({ type: 'send', clientId, text });
  }

  /**
   * Resends up to `n` of its acknowledged messages with the same clientId (half of them with
   * another text): the server must answer with the original ack and store nothing new.
   */
  probeRetries(n: number): number {
    const acked = [...this.ledger.sends].filter(
      ([cid, s]) => s.by === this.name && this.ledger.acks.has(cid),
    );
    let probes = 0;
    for (let i = 0; i < n && acked.length > 0; i += 1) {
      const [clientId, send] = acked.splice(this.rng.int(0, acked.length - 1), 1)[0]!;
      const text = this.rng.chance(0.5) ? send.text : `${send.text} retried`;
      this.pending.set(clientId, text);
      this.frame({ type: 'send', clientId, text });
      probes += 1;
    }
    return probes;
  }

  /** Edits or deletes one of its own acknowledged, undeleted messages, if connected. */
  change(kind: 'edit' | 'delete'): void {
    if (!this.ready) return;
    const mine = [...this.view.messages.entries()].filter(
      ([, m]) => m.authorId === this.user.id && !m.deleted,
    );
    if (mine.length === 0) return;
    const [target] = this.rng.pick(mine);
    if (kind === 'delete') {
      this.ledger.deletes.add(target);
      this.frame({ type: 'delete', target });
    } else {
      const text = `${this.name} edit ${this.rng.hex(8)}`;
      this.ledger.editSent(target, text);
      this.frame({ type: 'edit', target, text });
    }
  }

  /** Drops the connection (abruptly or with a close frame) and stays away up to `awayMs`. */
  drop(abrupt: boolean, awayMs: number): void {
    this.awayUntil = Date.now() + awayMs;
    if (!this.ws) return;
    if (abrupt) this.ws.terminate();
    else this.ws.close(1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000);
  }

  private frame(frame: object): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify(frame));
    if (this.opts.double) ws.send(JSON.stringify(frame));
  }

  private connect(): void {
    if (this.stopped) return;
    const url = `${this.base.replace('http', 'ws')}/api/rooms/${this.roomId}/ws?after=${this.view.lastSeq}`;
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${this.user.token}`, origin: this.base },
    });
    this.ws = ws;
    this.ready = false;
    this.caughtUp = false;
    this.unreported = 0;
    ws.on('message', (data) => {
      if (ws === this.ws) this.receive(ws, String(data));
    });
    ws.on('close', (code) => this.closed(ws, code));
    // A refused upgrade or a refused connection (the server is down): `close` follows.
    ws.on('error', () => (this.counts.refused += 1));
  }

  private closed(ws: WebSocket, code: number): void {
    this.closes[code] = (this.closes[code] ?? 0) + 1;
    if (ws !== this.ws) return;
    this.ws = null;
    this.ready = false;
    if (this.stopped) return;
    const backoff = Math.min(2000, 100 * 2 ** this.attempt) * (0.5 + this.rng.next());
    this.attempt += 1;
    const wait = Math.max(backoff, this.awayUntil - Date.now());
    this.timer = setTimeout(() => this.connect(), wait);
  }

  private receive(ws: WebSocket, raw: string): void {
    this.unreported += raw.length;
    if (this.unreported >= LIMITS.receiptChars) {
      ws.send(JSON.stringify({ type: 'received', chars: this.unreported }));
      this.unreported = 0;
    }
    const frame = JSON.parse(raw) as Frame;
    const frames = frame.type === 'batch' ? (frame.frames as Frame[]) : [frame];
    for (const f of frames) this.handle(ws, f);
  }

  private handle(ws: WebSocket, f: Frame): void {
    switch (f.type) {
      case 'hello':
        this.ready = true;
        this.attempt = 0;
        this.counts.connects += 1;
        if ((f.seq as number) < this.view.lastSeq) {
          this.ledger.anomalies.push(
            `${this.name}: hello says seq ${f.seq as number}, it applied ${this.view.lastSeq}`,
          );
        }
        for (const [clientId, text] of this.pending) {
          this.counts.resends += 1;
          this.frame({ type: 'send', clientId, text });
        }
        return;
      case 'caught_up':
        this.caughtUp = true;
        if (f.seq !== this.view.lastSeq) {
          this.ledger.anomalies.push(
            `${this.name}: caught_up at ${f.seq as number}, applied ${this.view.lastSeq}`,
          );
        }
        return;
      case 'resync':
        void this.resync(ws);
        return;
      case 'message':
      case 'edit':
      case 'delete':
      // Joins and leaves (issue 12) take seqs in the same order.
      case 'notice':
        return this.event(f);
      case 'ack':
        this.ledger.ack(this.name, f.clientId as string, f.seq as number);
        this.pending.delete(f.clientId as string);
        return;
      case 'error':
        this.ledger.error(f.code as string);
        return;
    }
  }

  private event(f: Frame): void {
    const verdict = this.view.apply(f);
    if (verdict === 'duplicate') this.counts.duplicates += 1;
    if (verdict === 'conflict' || verdict === 'gap') {
      this.ledger.anomalies.push(`${this.name}: ${verdict} at seq ${f.seq as number}`);
    }
  }

  /** The gap is past the replay window: page history, then resume after its roomSeq. */
  private async resync(ws: WebSocket): Promise<void> {
    this.counts.resyncs += 1;
    // Detached: this socket's close schedules nothing; the resume below replaces it.
    this.ws = null;
    this.ready = false;
    ws.close(1000);
    try {
      const { rows, roomSeq } = await fullHistory(this.base, this.roomId, this.user.token);
      this.view.replaceFromHistory(rows, roomSeq);
    } catch {
      // The server is down: the resume below is refused and backs off like any reconnect.
    }
    this.connect();
  }
}
