/**
 * Who is online in an object: each user once, however many sockets they have open. Kept in
 * memory and rebuilt from the runtime's socket list after the object wakes from hibernation,
 * so a connection costs O(1) here rather than a pass over every socket's attachment.
 */
import type { UserRef } from '../shared/protocol';

export class Presence {
  private users: Map<string, { user: UserRef; sockets: number }> | null = null;
  private readonly counted = new Set<WebSocket>();

  constructor(private readonly openSockets: () => WebSocket[]) {}

  /**
   * Rebuilds the map after a wake. `closing` is the socket whose close woke the object: the
   * runtime no longer lists it as open, but it was online until now, so it is counted (else
   * its removal would announce nothing: no `offline` after a quiet period).
   */
  private load(closing?: WebSocket): Map<string, { user: UserRef; sockets: number }> {
    if (this.users) return this.users;
    this.users = new Map();
    const sockets = this.openSockets();
    if (closing && !sockets.includes(closing)) sockets.push(closing);
    for (const ws of sockets) {
      const user = (ws.deserializeAttachment() as { user?: UserRef } | null)?.user;
      if (user) this.count(ws, user);
    }
    return this.users;
  }

  private count(ws: WebSocket, user: UserRef): boolean {
    this.counted.add(ws);
    const entry = this.users!.get(user.id);
    if (entry) entry.sockets += 1;
    else this.users!.set(user.id, { user, sockets: 1 });
    return !entry;
  }

  /** Counts a newly accepted socket; true if its user just came online. */
  add(ws: WebSocket, user: UserRef): boolean {
    const users = this.load();
    if (this.counted.has(ws)) return false;
    const before = users.has(user.id);
    this.count(ws, user);
    return !before;
  }

  /** Uncounts a closing socket (once, however often the runtime reports it); true if its user went offline. */
  remove(ws: WebSocket, user: UserRef): boolean {
    const users = this.load(ws);
    if (!this.counted.delete(ws)) return false;
    const entry = users.get(user.id);
    if (!entry) return false;
    entry.sockets -= 1;
    if (entry.sockets > 0) return false;
    users.delete(user.id);
    return true;
  }

  /** Every counted (open) socket, without asking the runtime for its list on each broadcast. */
  sockets(): Set<WebSocket> {
    this.load();
    return this.counted;
  }

  /** A renamed user: the online list carries the new name. */
  update(user: UserRef): void {
    const entry = this.load().get(user.id);
    if (entry) entry.user = user;
  }

  has(userId: string): boolean {
    return this.load().has(userId);
  }

  list(): UserRef[] {
    return [...this.load().values()].map((e) => e.user);
  }

  get size(): number {
    return this.load().size;
  }
}
