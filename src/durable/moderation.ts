/**
 * What a room's object enforces itself (issue 12): who moderates here, whether the room is
 * archived, and slow mode. D1 holds the same facts (the Worker changes them there first and
 * then tells the room, room-admin.ts); the object keeps its own copy in its SQLite so a frame
 * is judged without a D1 read, and so the copy survives hibernation.
 */
import type { ErrorCode } from '../shared/errors';
import type { RoomRole } from '../shared/moderation';

export interface RoomState {
  archived?: boolean;
  /** Members only (a named room's owner can switch it): activity frames say `private`. */
  private?: boolean;
  slowModeSeconds?: number;
  /** A DM of two whose other person deleted their account: nothing more may be sent. */
  peerGone?: boolean;
  /**
   * A DM of two: which of its members block the other (all of them, replacing what the
   * object had). While anyone does, nothing more may be sent or reacted there.
   */
  blockers?: string[];
  /** Role changes: `member` for someone who is no longer owner or moderator. */
  roles?: { userId: string; role: RoomRole }[];
}

/** `mod_state` keys of a pair's members who block the other: `blocker:<user id>`. */
const BLOCKER_KEY = 'blocker:';

export interface Refusal {
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
}

export class RoomModeration {
  private archived: boolean;
  /** A DM of two whose other person deleted their account (read with the rest of the state). */
  private peerGone: boolean;
  /** A pair's DM: its members who block the other (read with the rest of the state). */
  private blockers: string[];
  private slowModeMs: number;
  /** The room is private (issue 12); only ever told by the Worker, so false until then. */
  isPrivate: boolean;
  /** Told its state by an upgrade before (`fromUpgrade`); kept in `mod_state`. */
  private told: boolean;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS mod_roles (user_id TEXT PRIMARY KEY, role TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS mod_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS slow_sends (user_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
    `);
    const state = new Map(
      sql
        .exec<{ key: string; value: number }>('SELECT key, value FROM mod_state')
        .toArray()
        .map((r) => [r.key, r.value]),
    );
    this.archived = state.get('archived') === 1;
    this.peerGone = state.get('peer_gone') === 1;
    this.blockers = [...state.keys()]
      .filter((k) => k.startsWith(BLOCKER_KEY))
      .map((k) => k.slice(BLOCKER_KEY.length))
      .sort();
    this.slowModeMs = (state.get('slow_mode') ?? 0) * 1000;
    this.isPrivate = state.get('private') === 1;
    this.told = state.get('told') === 1;
  }

  /**
   * The Worker's word on the room and `userId`'s role, read from D1 before it forwarded an
   * upgrade. Taken at once the first time (a room made before this object kept its state).
   * After that this object's copy is kept by every change (`apply`, in the room's order), and
   * the word may be older than a change made while the upgrade was on its way (an archive, a
   * demotion): taking it would undo that change here. So it is only compared: `differs`
   * asks the caller to read D1 again, in the room's order of changes.
   */
  fromUpgrade(state: RoomState, userId: string): 'applied' | 'same' | 'differs' {
    if (!this.told) {
      this.apply(state);
      this.told = true;
      this.set('told', 1);
      return 'applied';
    }
    const role = state.roles?.find((r) => r.userId === userId)?.role;
    const differs =
      (state.archived !== undefined && state.archived !== this.archived) ||
      (state.private !== undefined && state.private !== this.isPrivate) ||
      (state.slowModeSeconds !== undefined && state.slowModeSeconds * 1000 !== this.slowModeMs) ||
      (role !== undefined && role !== this.roleOf(userId));
    return differs ? 'differs' : 'same';
  }

  roleOf(userId: string): RoomRole {
    const [row] = this.sql
      .exec<{ role: RoomRole }>('SELECT role FROM mod_roles WHERE user_id = ?', userId)
      .toArray();
    return row?.role ?? 'member';
  }

  /**
   * Whether `actorId` may remove `authorId`'s message: the owner anyone's, a moderator a
   * member's (never the owner's or another moderator's, as for bans).
   */
  mayRemove(actorId: string, authorId: string): boolean {
    const actor = this.roleOf(actorId);
    return actor === 'owner' || (actor === 'moderator' && this.roleOf(authorId) === 'member');
  }

  /** Owner or moderator: may remove members' messages and is exempt from slow mode. */
  moderates(userId: string): boolean {
    return this.roleOf(userId) !== 'member';
  }

  /** A change to the room's state or roles, in the room's order (and a first upgrade's word). */
  apply(state: RoomState): void {
    const { archived, private: isPrivate, slowModeSeconds, peerGone, blockers, roles = [] } = state;
    if (peerGone) {
      this.peerGone = true;
      this.set('peer_gone', 1);
    }
    const blocking = blockers && [...blockers].sort();
    if (blocking && blocking.join() !== this.blockers.join()) {
      this.sql.exec(`DELETE FROM mod_state WHERE key LIKE '${BLOCKER_KEY}%'`);
      for (const id of blocking) this.set(`${BLOCKER_KEY}${id}`, 1);
      this.blockers = blocking;
    }
    if (archived !== undefined) {
      this.archived = archived;
      this.set('archived', archived ? 1 : 0);
    }
    if (isPrivate !== undefined) {
      this.isPrivate = isPrivate;
      this.set('private', isPrivate ? 1 : 0);
    }
    if (slowModeSeconds !== undefined) {
      this.slowModeMs = slowModeSeconds * 1000;
      this.set('slow_mode', slowModeSeconds);
      if (slowModeSeconds === 0) this.sql.exec('DELETE FROM slow_sends');
    }
    for (const role of roles) {
      if (role.role === 'member') {
        this.sql.exec('DELETE FROM mod_roles WHERE user_id = ?', role.userId);
      } else {
        this.sql.exec(
          `INSERT INTO mod_roles (user_id, role) VALUES (?, ?)
           ON CONFLICT (user_id) DO UPDATE SET role = excluded.role`,
          role.userId,
          role.role,
        );
      }
    }
  }

  /** Whether a change (edit, delete, reaction) may be made now: not in an archived room. */
  mayChange(): Refusal | null {
    if (!this.archived) return null;
    return { code: 'room_archived', message: 'This room is archived: it is read-only' };
  }

  /**
   * Whether `userId` may speak to the other person of a pair's DM (a message, a reaction,
   * typing): not while either blocks the other. The blocker is told how to undo it; the
   * other only that their words will not reach them.
   */
  mayReach(userId: string): Refusal | null {
    if (this.blockers.length === 0) return null;
    const message = this.blockers.includes(userId)
      ? 'You blocked them: unblock them to send messages here'
      : 'They are not accepting your messages';
    return { code: 'blocked', message };
  }

  /**
   * Whether `userId` may send a message now: not in an archived room, and under slow mode
   * not sooner than its interval after their previous one (owner and moderators exempt).
   */
  maySend(userId: string, now = Date.now()): Refusal | null {
    const archived = this.mayChange();
    if (archived) return archived;
    if (this.peerGone) {
      const why = 'They deleted their account: nothing more can be sent here';
      return { code: 'forbidden', message: why };
    }
    const blocked = this.mayReach(userId);
    if (blocked) return blocked;
    if (this.slowModeMs === 0 || this.moderates(userId)) return null;
    const [row] = this.sql
      .exec<{ at: number }>('SELECT at FROM slow_sends WHERE user_id = ?', userId)
      .toArray();
    const waitMs = row ? row.at + this.slowModeMs - now : 0;
    if (waitMs <= 0) return null;
    const seconds = this.slowModeMs / 1000;
    return {
      code: 'rate_limited',
      message: `Slow mode: one message every ${seconds} s`,
      retryAfterMs: waitMs,
    };
  }

  /** A message from `userId` was stored: their slow-mode interval starts now. */
  sent(userId: string, now = Date.now()): void {
    if (this.slowModeMs === 0) return;
    this.sql.exec(
      `INSERT INTO slow_sends (user_id, at) VALUES (?, ?)
       ON CONFLICT (user_id) DO UPDATE SET at = excluded.at`,
      userId,
      now,
    );
  }

  private set(key: string, value: number): void {
    this.sql.exec(
      `INSERT INTO mod_state (key, value) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      key,
      value,
    );
  }
}
