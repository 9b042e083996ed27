/**
 * A WebSocket that stays connected: reconnects with backoff, keeps itself alive with the
 * runtime's `ping`/`pong` text frames, and hands on only frames its schema accepts.
 */
import { signal } from '@preact/signals';
import type * as z from 'zod/mini';
import { LIMITS } from '../../shared/limits';
import { CLOSE_CODES } from '../../shared/protocol';
import { backoffDelay } from './backoff';

export type SocketState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SocketOptions<S extends z.ZodMiniType> {
  /** Built for each attempt, so a reconnect resumes from the latest applied seq. */
  url: () => string;
  protocols?: () => string[] | undefined;
  schema: S;
  onFrame: (frame: z.output<S>) => void;
  onOpen?: () => void;
  /** Several attempts in a row failed before opening: perhaps the session has ended. */
  onFailing?: () => void;
}

// The runtime answers the text frame `ping` with `pong` without waking the object.
const HEARTBEAT_MS = 20_000;
// No frame at all for this long means the connection is dead even if no close arrived.
const SILENCE_MS = 50_000;
// The server ended this socket on purpose: 1000 (left the room), 1008 (session ended), 4029
// (too many sockets: reconnecting on our own would only take another one's place).
// A restart or a network drop shows as 1001, 1006, 1011 or 1012 and is retried with backoff,
// as is 1013 (connecting too often), with a longer wait each time in a row; 4000 asks for an immediate reconnect that resumes after the last applied seq.
const FATAL_CLOSE = new Set<number>([
  CLOSE_CODES.normal,
  CLOSE_CODES.policy,
  CLOSE_CODES.tooManySockets,
]);
const TOO_MANY = 'Parlor is open in too many tabs or windows. Close some, then reload this one.';

export function createSocket<S extends z.ZodMiniType>(options: SocketOptions<S>) {
  const state = signal<SocketState>('connecting');
  const closeReason = signal<string | null>(null);
  let ws: WebSocket | null = null;
  let attempt = 0;
  /** Sockets in a row closed with "try again later" (connecting too often). */
  let refusedInARow = 0;
  let lastHeard = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  /** Characters received since the last receipt (flow control: docs/protocol.md). */
  let unreported = 0;

  function connect() {
    clearTimeout(retryTimer);
    const socket = new WebSocket(options.url(), options.protocols?.());
    ws = socket;
    unreported = 0;
    socket.onopen = () => {
      attempt = 0;
      lastHeard = Date.now();
      state.value = 'open';
      options.onOpen?.();
    };
    socket.onmessage = (event) => {
      // A socket we dropped (restart) may still deliver what it had buffered: not ours now.
      if (ws !== socket) return;
      lastHeard = Date.now();
      if (typeof event.data !== 'string' || event.data === 'pong') return;
      // Receipts let the server tell a slow reader from a dead one: a socket that reports
      // nothing for LIMITS.unsentChars is closed with 4000.
      unreported += event.data.length;
      if (unreported >= LIMITS.receiptChars && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: 'received', chars: unreported }));
        unreported = 0;
      }
      const frame = parseFrame(options.schema, event.data);
      if (frame !== undefined) options.onFrame(frame);
    };
    socket.onclose = (event) => {
      if (ws !== socket) return;
      ws = null;
      if (stopped) return;
      if (FATAL_CLOSE.has(event.code)) {
        closeReason.value =
          event.code === CLOSE_CODES.tooManySockets
            ? TOO_MANY
            : event.reason || 'The server closed this chat.';
        state.value = 'closed';
        if (event.code === CLOSE_CODES.policy) options.onFailing?.();
        return;
      }
      // Connecting too often: the socket opened only to be refused, so the attempts go on
      // counting (onopen reset them) and each waits longer.
      if (event.code === CLOSE_CODES.tryAgainLater) attempt = ++refusedInARow;
      else refusedInARow = 0;
      // Dropped on purpose after a good connection (a slow reader): resume at once, once.
      if (event.code === CLOSE_CODES.resume && attempt === 0) {
        attempt = 1;
        state.value = 'reconnecting';
        connect();
        return;
      }
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    state.value = 'reconnecting';
    const delay = backoffDelay(attempt++);
    if (attempt === 3) options.onFailing?.();
    retryTimer = setTimeout(connect, delay);
  }

  function beat() {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - lastHeard > SILENCE_MS) {
      dropAndReconnect();
      return;
    }
    ws.send('ping');
  }

  function dropAndReconnect() {
    const dead = ws;
    if (!dead || stopped) return;
    ws = null;
    dead.close();
    scheduleReconnect();
  }

  /** Drops the connection and opens a new one now, which resumes from `url()` afresh. */
  function restart() {
    if (stopped) return;
    const old = ws;
    ws = null;
    old?.close(1000);
    state.value = 'reconnecting';
    attempt = 0;
    connect();
  }

  /** Skips the wait: the browser is back online or the tab became visible. */
  function reconnectNow() {
    if (state.value !== 'reconnecting') return;
    attempt = 0;
    connect();
  }
  const onVisible = () => document.visibilityState === 'visible' && reconnectNow();

  connect();
  heartbeat = setInterval(beat, HEARTBEAT_MS);
  window.addEventListener('online', reconnectNow);
  // The browser knows the network is gone before the heartbeat would notice (up to 50 s).
  window.addEventListener('offline', dropAndReconnect);
  document.addEventListener('visibilitychange', onVisible);

  return {
    state,
    closeReason,
    reconnectNow,
    restart,
    /** Sends a frame now, or returns false if the socket is not open. */
    send(frame: object): boolean {
      if (!ws || ws.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(frame));
      return true;
    },
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      clearInterval(heartbeat);
      window.removeEventListener('online', reconnectNow);
      window.removeEventListener('offline', dropAndReconnect);
      document.removeEventListener('visibilitychange', onVisible);
      ws?.close(1000);
      ws = null;
      state.value = 'closed';
    },
  };
}

export type Socket = ReturnType<typeof createSocket>;

function parseFrame<S extends z.ZodMiniType>(schema: S, data: string): z.output<S> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    console.warn('Ignoring a frame the protocol does not describe', result.error.issues[0]);
    return undefined;
  }
  return result.data;
}

/** `ws:`/`wss:` URL for a path on this origin. */
export function socketUrl(path: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path}`;
}
