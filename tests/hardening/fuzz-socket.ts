/**
 * A socket the live fuzzer writes mutated frames to. After each window of frames it sends
 * a barrier (a frame the server must refuse with `ref` = the barrier's id) and waits for
 * that answer, so every frame was handled before the next window, and a socket that stops
 * answering is a finding. Every frame received is checked for the documented shape.
 */
import WebSocket from 'ws';
import { ERROR_CODES } from '../../src/shared/errors';
import { CLOSE_CODES } from '../../src/shared/protocol';
import { LIMITS } from '../../src/shared/limits';
import type { E2eUser } from '../e2e/client';
import type { Frame } from '../socket-client';

export interface FuzzStats {
  frames: Record<string, number>;
  errors: Record<string, number>;
  closes: Record<string, number>;
  problems: string[];
}

const DOCUMENTED_CLOSES = new Set<number>(Object.values(CLOSE_CODES));
const STACK = /\bat \S+ \(|\.(ts|js):\d+:\d+|Error:/;

export class FuzzSocket {
  private ws: WebSocket | null = null;
  private answers: Frame[] = [];
  private unreported = 0;
  /** Set when the frame just sent may close the socket (too large, not UTF-8). */
  mayClose: number[] = [];

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly user: E2eUser,
    private readonly origin: string,
    private readonly stats: FuzzStats,
  ) {}

  async open(): Promise<void> {
    const ws = new WebSocket(this.url, {
      headers: { authorization: `Bearer ${this.user.token}`, origin: this.origin },
    });
    this.ws = ws;
    this.answers = [];
    ws.on('message', (data, binary) => this.receive(ws, binary ? '<binary>' : String(data)));
    ws.on('close', (code) => {
      if (ws !== this.ws) return;
      this.note('closes', String(code));
      if (!DOCUMENTED_CLOSES.has(code) && !this.mayClose.includes(code)) {
        this.stats.problems.push(`${this.name}: closed with ${code}`);
      }
    });
    ws.on('error', () => {});
    await this.until((f) => f.type === 'hello', 15_000);
  }

  /** Sends one fuzz frame; reopens first if the previous one closed the socket. */
  async send(kind: string, data: string | Buffer, asText = true): Promise<void> {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) await this.reopen();
    this.note('frames', kind);
    this.ws!.send(data, { binary: !asText });
  }

  /** Sends `frame` (which the server must refuse with `ref`) and waits for the refusal. */
  async barrier(frame: string, ref: string): Promise<void> {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) await this.reopen();
    this.ws!.send(frame);
    const answered = await this.until((f) => f.type === 'error' && f.ref === ref, 30_000).then(
      () => true,
      () => false,
    );
    if (answered) return;
    // Closed by a frame of this window (documented close codes are checked on close).
    if (this.ws && this.ws.readyState !== WebSocket.OPEN) return this.reopen();
    this.stats.problems.push(`${this.name}: barrier ${ref} not answered in 30 s`);
    await this.reopen();
  }

  close(): void {
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000);
  }

  /**
   * ws reports a server's close only once the TCP connection ends, which wrangler dev can
   * hold open for tens of seconds after the closing handshake; `terminate` ends it now, and
   * the close event still carries the code the server sent.
   */
  private async reopen(): Promise<void> {
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      const deadline = Date.now() + 10_000;
      while (ws.readyState === WebSocket.OPEN && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.terminate();
      });
    }
    this.mayClose = [];
    await this.open();
  }

  private receive(ws: WebSocket, raw: string): void {
    this.unreported += raw.length;
    if (this.unreported >= LIMITS.receiptChars && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: 'received', chars: this.unreported }));
      this.unreported = 0;
    }
    if (raw === 'pong') return;
    let frame: Frame;
    try {
      frame = JSON.parse(raw) as Frame;
    } catch {
      this.stats.problems.push(`${this.name}: not JSON: ${raw.slice(0, 100)}`);
      return;
    }
    const frames = frame.type === 'batch' ? (frame.frames as Frame[]) : [frame];
    for (const f of frames) {
      if (f.type === 'error') this.checkError(f);
      this.answers.push(f);
    }
    if (this.answers.length > 5000) this.answers.splice(0, 4000);
  }

  private checkError(f: Frame): void {
    this.note('errors', String(f.code));
    const known = (ERROR_CODES as readonly unknown[]).includes(f.code);
    if (!known || typeof f.message !== 'string' || STACK.test(f.message)) {
      this.stats.problems.push(`${this.name}: error frame ${JSON.stringify(f).slice(0, 200)}`);
    }
  }

  private note(what: 'frames' | 'errors' | 'closes', key: string): void {
    const table = this.stats[what];
    table[key] = (table[key] ?? 0) + 1;
  }

  private async until(match: (f: Frame) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.answers.findIndex(match);
      if (i >= 0) {
        this.answers.splice(0, i + 1);
        return;
      }
      if (Date.now() > deadline || !this.ws || this.ws.readyState > WebSocket.OPEN) {
        throw new Error(`${this.name}: no answer`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
