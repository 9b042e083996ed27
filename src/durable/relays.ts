/**
 * The room's side of its fan-out tree (relay.ts): which relays carry its stream, where a new
 * socket goes, the ordered stream to each relay, and who is online through them.
 *
 * A room holds up to `bound` sockets itself (ROOM_DIRECT_SOCKETS). Past that, an upgrade is
 * forwarded to relay k (`<roomId>#<k>`), each holding up to `bound` sockets too. A user's
 * further sockets follow their first (so per-object caps stay per-room caps).
 *
 * Everything the room sends a relay travels one ordered stream per relay (RelayLink): one
 * delivery in flight at a time, later entries waiting and leaving together. A relayed
 * socket's hello and replay enter that stream at the same point where a direct socket's
 * would leave, so every broadcast after it is newer than its hello and every broadcast
 * before it is in its replay: nothing lost or doubled, with no seq filtering at the relay.
 *
 * Presence through relays is kept in the room's SQLite (per relay, per user), so it
 * survives the room's hibernation; the relay reports changes (and a full list whenever it
 * cannot be sure the room has the previous one).
 */
import type { UserRef } from '../shared/protocol';
import { RELAY_NAME_SEPARATOR, type RelayEntry, type RelayPresence } from './relay-protocol';

export interface PresenceChanges {
  online: UserRef[];
  offline: UserRef[];
}

class RelayLink {
  private queue: RelayEntry[] = [];
  private running = false;
  /** Entries pushed since the last delivery that reported the relay's socket count. */
  placedSince = 0;

  constructor(
    private readonly stub: () => DurableObjectStub<import('./relay').Relay>,
    private readonly delivered: (sockets: number, link: RelayLink) => void,
    private readonly failed: (link: RelayLink) => void,
  ) {}

  push(entry: RelayEntry): void {
    this.queue.push(entry);
    if (this.running) return;
    this.running = true;
    // At the end of the current task, so a synchronous burst travels as one delivery.
    queueMicrotask(() => void this.run());
  }

  /** An empty delivery: the relay answers with its socket count (liveness probe). */
  probe(): void {
    if (this.running) return;
    this.running = true;
    void this.run(true);
  }

  private async run(probe = false): Promise<void> {
    try {
      while (this.queue.length > 0 || probe) {
        probe = false;
        const batch = this.queue;
        this.queue = [];
        const placed = this.placedSince;
        const { sockets } = await this.stub().deliver(batch);
        this.placedSince -= placed;
        this.delivered(sockets, this);
      }
    } catch (err) {
      console.error('relay delivery failed', err);
      this.queue = [];
      this.failed(this);
    } finally {
      this.running = false;
    }
  }

  get idle(): boolean {
    return !this.running && this.queue.length === 0 && this.placedSince === 0;
  }
}

export class Relays {
  private readonly links = new Map<number, RelayLink>();
  /** Sockets per relay: the last count it reported plus sockets placed there since. */
  private readonly load = new Map<number, number>();
  /** Each user online through relays, with how many relays they are on. */
  private users: Map<string, { user: UserRef; relays: number }> | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
    private readonly roomId: () => string,
    /** Sockets the room and each relay hold (ROOM_DIRECT_SOCKETS). */
    readonly bound: number,
    /** A relay stopped answering or has no sockets left: who went offline with it. */
    private readonly retired: (changes: PresenceChanges) => void,
  ) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS relays (k INTEGER PRIMARY KEY, sockets INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS relay_users (
        k INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        user TEXT NOT NULL,
        PRIMARY KEY (k, user_id)
      );
    `);
    for (const row of sql.exec<{ k: number; sockets: number }>('SELECT k, sockets FROM relays'))
      this.load.set(row.k, row.sockets);
  }

  /** Whether the room has relays (then a wake checks they still hold sockets). */
  get any(): boolean {
    return this.load.size > 0;
  }

  /**
   * Where a new socket of `userId` goes: `direct` while the room holds fewer than `bound`
   * (or the user already has a socket here), else the relay the user is on, else the first
   * relay with room, else a new one.
   */
  place(userId: string, direct: { count: number; hasUser: boolean }): 'direct' | number {
    if (direct.hasUser) return 'direct';
    const [on] = this.sql
      .exec<{ k: number }>('SELECT k FROM relay_users WHERE user_id = ? LIMIT 1', userId)
      .toArray();
    if (on) return on.k;
    if (direct.count < this.bound) return 'direct';
    let k = 0;
    while ((this.load.get(k) ?? 0) >= this.bound) k += 1;
    return k;
  }

  /** Queues a new socket's first frames (hello, replay) for relay `k`, which it joins now. */
  open(k: number, sid: string, frames: string[], base: number): void {
    if (!this.load.has(k)) {
      this.sql.exec('INSERT OR IGNORE INTO relays (k, sockets) VALUES (?, 0)', k);
      this.load.set(k, 0);
    }
    this.load.set(k, this.load.get(k)! + 1);
    const link = this.link(k);
    link.placedSince += 1;
    frames.forEach((data, i) => link.push({ data, to: sid, ...(i === 0 && { base }) }));
  }

  /** To every relay's sockets (except `except`'s own); `seq` for stored events. */
  broadcast(data: string, except?: string, seq?: number): void {
    for (const k of this.load.keys()) {
      this.link(k).push({
        data,
        ...(except !== undefined && { except }),
        ...(seq !== undefined && { seq }),
      });
    }
  }

  /** To the sockets of `users` only, on every relay (they may be on any). */
  broadcastTo(data: string, users: string[]): void {
    for (const k of this.load.keys()) this.link(k).push({ data, only: users });
  }

  /** To one relayed socket, in its relay's stream (acks and errors). */
  sendTo(k: number, sid: string, data: string): void {
    if (this.load.has(k)) this.link(k).push({ data, to: sid });
  }

  /** Asks every relay for its socket count; those with none left are retired. */
  probe(): void {
    for (const k of this.load.keys()) this.link(k).probe();
  }

  /** The relays `userId` is on (for leaving and renames), or every relay. */
  relaysOf(userId?: string): DurableObjectStub<import('./relay').Relay>[] {
    const ks = userId
      ? this.sql
          .exec<{ k: number }>('SELECT k FROM relay_users WHERE user_id = ?', userId)
          .toArray()
          .map((r) => r.k)
      : [...this.load.keys()];
    return ks.map((k) => this.stub(k));
  }

  /**
   * A relay's presence report. `directHas` says who is online on the room's own sockets.
   * Returns who came online or went offline in the room as a whole.
   */
  report(k: number, report: RelayPresence, directHas: (id: string) => boolean): PresenceChanges {
    const changes: PresenceChanges = { online: [], offline: [] };
    if (!this.load.has(k)) {
      // A relay the room already retired: it lost its stream, so its sockets must resume.
      if (report.sockets > 0) void this.stub(k).reset();
      return changes;
    }
    const users = this.loadUsers();
    const removed = report.full
      ? this.sql
          .exec<{ user_id: string }>('SELECT user_id FROM relay_users WHERE k = ?', k)
          .toArray()
          .map((r) => r.user_id)
          .filter((id) => !report.added.some((u) => u.id === id))
      : report.removed;
    for (const id of removed) {
      const gone = this.sql.exec('DELETE FROM relay_users WHERE k = ? AND user_id = ?', k, id);
      if (gone.rowsWritten === 0) continue;
      const entry = users.get(id)!;
      entry.relays -= 1;
      if (entry.relays > 0) continue;
      users.delete(id);
      if (!directHas(id)) changes.offline.push(entry.user);
    }
    for (const user of report.added) {
      const known =
        this.sql.exec('SELECT 1 FROM relay_users WHERE k = ? AND user_id = ?', k, user.id).toArray()
          .length > 0;
      this.sql.exec(
        `INSERT INTO relay_users (k, user_id, user) VALUES (?, ?, ?)
         ON CONFLICT (k, user_id) DO UPDATE SET user = excluded.user`,
        k,
        user.id,
        JSON.stringify(user),
      );
      const entry = users.get(user.id);
      if (entry) {
        entry.user = user;
        if (!known) entry.relays += 1;
        continue;
      }
      users.set(user.id, { user, relays: 1 });
      if (!directHas(user.id)) changes.online.push(user);
    }
    this.setSockets(k, report.sockets);
    // Its last socket closed and nothing is on its way to it: stop delivering to it.
    if (report.sockets === 0 && (this.links.get(k)?.idle ?? true)) this.retire(k);
    return changes;
  }

  /** Each relay's socket count, by relay number (the benchmark's fan-out figures). */
  sockets(): number[] {
    return [...this.load].sort(([a], [b]) => a - b).map(([, n]) => n);
  }

  /** Users online through relays, each once. */
  get count(): number {
    return this.loadUsers().size;
  }

  has(userId: string): boolean {
    return this.loadUsers().has(userId);
  }

  list(): UserRef[] {
    return [...this.loadUsers().values()].map((e) => e.user);
  }

  /** A renamed user: their stored entries carry the new name. */
  rename(user: UserRef): void {
    this.sql.exec(
      'UPDATE relay_users SET user = ? WHERE user_id = ?',
      JSON.stringify(user),
      user.id,
    );
    const entry = this.loadUsers().get(user.id);
    if (entry) entry.user = user;
  }

  private loadUsers(): Map<string, { user: UserRef; relays: number }> {
    if (this.users) return this.users;
    this.users = new Map();
    for (const row of this.sql.exec<{ user: string; relays: number }>(
      'SELECT user, count(*) AS relays FROM relay_users GROUP BY user_id',
    )) {
      const user = JSON.parse(row.user) as UserRef;
      this.users.set(user.id, { user, relays: row.relays });
    }
    return this.users;
  }

  private setSockets(k: number, sockets: number): void {
    this.load.set(k, sockets + (this.links.get(k)?.placedSince ?? 0));
    this.sql.exec('UPDATE relays SET sockets = ? WHERE k = ?', sockets, k);
  }

  private link(k: number): RelayLink {
    let link = this.links.get(k);
    if (!link) {
      link = new RelayLink(
        () => this.stub(k),
        (sockets, l) => {
          if (sockets === 0 && l.idle) this.retire(k);
          else if (this.load.has(k)) this.setSockets(k, sockets);
        },
        () => this.retire(k, true),
      );
      this.links.set(k, link);
    }
    return link;
  }

  /**
   * Stops delivering to relay `k`. After a failed delivery its sockets missed frames, so it
   * is told to close them for a resume (if it can still hear it).
   */
  private retire(k: number, failed = false): void {
    if (!this.load.has(k)) return;
    this.load.delete(k);
    this.links.delete(k);
    const users = this.loadUsers();
    const changes: PresenceChanges = { online: [], offline: [] };
    for (const row of this.sql
      .exec<{ user_id: string }>('SELECT user_id FROM relay_users WHERE k = ?', k)
      .toArray()) {
      const entry = users.get(row.user_id);
      if (!entry) continue;
      entry.relays -= 1;
      if (entry.relays > 0) continue;
      users.delete(row.user_id);
      changes.offline.push(entry.user);
    }
    this.sql.exec('DELETE FROM relay_users WHERE k = ?', k);
    this.sql.exec('DELETE FROM relays WHERE k = ?', k);
    if (failed)
      void this.stub(k)
        .reset()
        .catch(() => {});
    this.retired(changes);
  }

  stubOf(k: number) {
    return this.stub(k);
  }

  private stub(k: number) {
    return this.env.RELAY.get(this.env.RELAY.idFromName(relayName(this.roomId(), k)));
  }
}

export function relayName(roomId: string, k: number): string {
  return `${roomId}${RELAY_NAME_SEPARATOR}${k}`;
}
