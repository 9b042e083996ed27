/**
 * Messages this tab sent that the room has not acknowledged yet. Each keeps its clientId
 * for its whole life, so a resend after a reconnect, a rate-limit wait or a manual retry is
 * recognised by the room as the same message, never stored twice.
 */
import { signal } from '@preact/signals';
import type { FileInfo } from '../../shared/files';
import type { ClientFrame } from '../../shared/protocol';

export interface Outgoing {
  clientId: string;
  text: string;
  /** The message it replies to, if any (resent with it). */
  replyTo: number | null;
  /** Uploaded files it carries (resent with it, by id). */
  files: FileInfo[];
  status: 'pending' | 'failed';
  error: string | null;
  createdAt: number;
}

// Unacknowledged this long while connected: tell the user and offer a retry.
const ACK_TIMEOUT_MS = 15_000;

export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createOutbox(send: (frame: ClientFrame) => boolean) {
  const items = signal<readonly Outgoing[]>([]);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  // Set while the room has told us to wait (rate_limited): nothing goes out until it fires,
  // then everything still pending goes out again in order. Without this, a burst after a
  // reconnect (more than the room's allowance of 10) left the rest failed for good.
  let holding: ReturnType<typeof setTimeout> | undefined;

  function set(clientId: string, change: Partial<Outgoing>) {
    items.value = items.value.map((m) => (m.clientId === clientId ? { ...m, ...change } : m));
  }

  function transmit(item: Outgoing) {
    clearTimeout(timers.get(item.clientId));
    // Waiting out a rate limit, or not connected: stays pending and goes out from flush().
    if (holding !== undefined) return;
    const { clientId, text, replyTo, files } = item;
    const frame: ClientFrame = {
      type: 'send',
      clientId,
      text,
      ...(replyTo !== null && { replyTo }),
    };
    if (files.length > 0) frame.files = files.map((f) => f.id);
    if (!send(frame)) return;
    timers.set(
      item.clientId,
      setTimeout(() => fail(item.clientId, 'Not delivered'), ACK_TIMEOUT_MS),
    );
  }

  function fail(clientId: string, error: string) {
    clearTimeout(timers.get(clientId));
    set(clientId, { status: 'failed', error });
  }

  /** Sends everything still pending, oldest first, with the same clientIds. */
  function flush() {
    for (const item of items.value) if (item.status === 'pending') transmit(item);
  }

  return {
    items,
    fail,
    flush,
    send(text: string, replyTo: number | null = null, files: FileInfo[] = []) {
      const item: Outgoing = {
        clientId: newClientId(),
        text,
        replyTo,
        files,
        status: 'pending',
        error: null,
        createdAt: Date.now(),
      };
      items.value = [...items.value, item];
      transmit(item);
    },
    /**
     * The room refused a send as too fast: keep it (and everything after it) pending and
     * send again by ourselves once `waitMs` has passed. No Retry click needed.
     */
    limited(waitMs: number) {
      for (const t of timers.values()) clearTimeout(t);
      clearTimeout(holding);
      holding = setTimeout(() => {
        holding = undefined;
        flush();
      }, waitMs);
    },
    /** Removes an acknowledged message and returns it. */
    ack(clientId: string): Outgoing | undefined {
      clearTimeout(timers.get(clientId));
      const item = items.value.find((m) => m.clientId === clientId);
      items.value = items.value.filter((m) => m.clientId !== clientId);
      return item;
    },
    retry(clientId: string) {
      set(clientId, { status: 'pending', error: null });
      const item = items.value.find((m) => m.clientId === clientId);
      if (item) transmit(item);
    },
    discard(clientId: string) {
      clearTimeout(timers.get(clientId));
      items.value = items.value.filter((m) => m.clientId !== clientId);
    },
    dispose() {
      for (const t of timers.values()) clearTimeout(t);
      clearTimeout(holding);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
