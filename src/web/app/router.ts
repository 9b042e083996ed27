/**
 * The open chat lives in the URL (`/c/<room id>`), so reload and back/forward work; a
 * permalink (`/c/<room id>/m/<seq>`) also names a message to open the chat at (0 for a
 * number that cannot be one: the chat says so).
 */
import { signal } from '@preact/signals';

const PREFIX = '/c/';
const MESSAGE = /^(.*)\/m\/([^/]*)$/;
const SEQ = /^[1-9]\d{0,15}$/;

function fromPath(path: string): { roomId: string | null; seq: number | null } {
  if (!path.startsWith(PREFIX)) return { roomId: null, seq: null };
  const rest = path.slice(PREFIX.length);
  const permalink = MESSAGE.exec(rest);
  try {
    const roomId = decodeURIComponent(permalink ? permalink[1]! : rest) || null;
    if (!roomId || !permalink) return { roomId, seq: null };
    // A mistyped message number still opens its chat, which says there is no such message.
    return { roomId, seq: SEQ.test(permalink[2]!) ? Number(permalink[2]) : 0 };
  } catch {
    return { roomId: null, seq: null };
  }
}

/** The path of a chat, or of one message in it (its permalink). */
export function chatPath(roomId: string, seq?: number): string {
  return PREFIX + encodeURIComponent(roomId) + (seq === undefined ? '' : `/m/${seq}`);
}

export function createRouter() {
  const initial = fromPath(location.pathname);
  const roomId = signal<string | null>(initial.roomId);
  /** The message a permalink opened the chat at; cleared once shown. */
  const seq = signal<number | null>(initial.seq);
  addEventListener('popstate', () => {
    const next = fromPath(location.pathname);
    roomId.value = next.roomId;
    seq.value = next.seq;
  });
  return {
    roomId,
    seq,
    open(id: string | null, replace = false) {
      if (id === roomId.value && seq.peek() === null) return;
      const path = id ? chatPath(id) : '/';
      if (replace) history.replaceState(null, '', path);
      else history.pushState(null, '', path);
      seq.value = null;
      roomId.value = id;
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
