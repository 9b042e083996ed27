/**
 * Unsent text per chat, kept in this browser's localStorage across reloads until it is sent,
 * and removed when its user's session ends (a shared computer keeps nobody's half-written words).
 */
const PREFIX = 'parlor.draft.';

function storage(): Storage | null {
  try {
    return localStorage; // refused in some embedded and private contexts
  } catch {
    return null;
  }
}

export function createDrafts() {
  const key = (userId: string, roomId: string) => `${PREFIX}${userId}.${roomId}`;
  return {
    get: (userId: string, roomId: string): string => storage()?.getItem(key(userId, roomId)) ?? '',
    set(userId: string, roomId: string, text: string): void {
      try {
        if (text.trim()) storage()?.setItem(key(userId, roomId), text);
        else storage()?.removeItem(key(userId, roomId));
      } catch {
        // full: the draft lives only as long as the page
      }
    },
    /** Every draft of `userId` in this browser. */
    forget(userId: string): void {
      const store = storage();
      if (!store) return;
      const mine = `${PREFIX}${userId}.`;
      for (const k of Object.keys(store)) if (k.startsWith(mine)) store.removeItem(k);
    },
  };
}
