/** The open chat lives in the URL (`/c/<room id>`), so reload and back/forward work. */
import { signal } from '@preact/signals';

const PREFIX = '/c/';

function fromPath(path: string): string | null {
  if (!path.startsWith(PREFIX)) return null;
  try {
    return decodeURIComponent(path.slice(PREFIX.length)) || null;
  } catch {
    return null;
  }
}

export function chatPath(roomId: string): string {
  return PREFIX + encodeURIComponent(roomId);
}

export function createRouter() {
  const roomId = signal<string | null>(fromPath(location.pathname));
  addEventListener('popstate', () => (roomId.value = fromPath(location.pathname)));
  return {
    roomId,
    open(id: string | null, replace = false) {
      if (id === roomId.value) return;
      const path = id ? chatPath(id) : '/';
      if (replace) history.replaceState(null, '', path);
      else history.pushState(null, '', path);
      roomId.value = id;
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
