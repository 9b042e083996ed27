/**
 * Messages this tab sent that the room has not acknowledged yet. Each keeps its clientId
 * for its whole life, so a resend after a reconnect or a manual retry is recognised by the
 * room as the same message, never stored twice.
 */
import { signal } from '@preact/signals';
import type { ClientFrame } from '../../shared/protocol';

export interface Outgoing {
  clientId: string;
  text: string;
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

  function set(clientId: string, change: Partial<Outgoing>) {
    items.value = items.value.map((m) => (m.clientId === clientId ? { ...m, ...change } : m));
  }

  function transmit(item: Outgoing) {
    clearTimeout(timers.get(item.clientId));
    // Not connected: stays pending and goes out from flush() once the socket opens.
    if (!send({ type: 'send', clientId: item.clientId, text: item.text })) return;
    timers.set(
      item.clientId,
      setTimeout(() => fail(item.clientId, 'Not delivered'), ACK_TIMEOUT_MS),
    );
  }

  function fail(clientId: string, error: string) {
    clearTimeout(timers.get(clientId));
    set(clientId, { status: 'failed', error });
  }

  return {
    items,
    fail,
    send(text: string) {
      const item: Outgoing = {
        clientId: newClientId(),
        text,
        status: 'pending',
        error: null,
        createdAt: Date.now(),
      };
      items.value = [...items.value, item];
      transmit(item);
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
    /** The socket (re)opened: send everything still pending, with the same clientIds. */
    flush() {
      for (const item of items.value) if (item.status === 'pending') transmit(item);
    },
    dispose() {
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
