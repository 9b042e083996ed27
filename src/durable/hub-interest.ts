/**
 * What a hub shard knows about the users online on it, in its SQLite (so it survives
 * hibernation): the rooms each is a member of (which rooms' activity this shard wants), the
 * people each has DMs with, pairs or groups (whose presence it reports), and the rooms it is
 * subscribed to.
 * Loaded from D1 when a user's first tab connects, forgotten when their last one closes.
 */
import { dmMembers } from './room-info';

const GLOBAL_ROOM_ID = 'global';

export interface UserChats {
  /** Rooms whose activity the user wants, the global room included (everyone is in it). */
  rooms: string[];
  /** The other members of the user's DMs (pairs and groups), each once. */
  contacts: string[];
}

/** The user's rooms and DM contacts, from their memberships in D1. */
export async function loadUserChats(db: D1Database, userId: string): Promise<UserChats> {
  const { results } = await db
    .prepare('SELECT room_id FROM memberships WHERE user_id = ?')
    .bind(userId)
    .all<{ room_id: string }>();
  const rooms = [GLOBAL_ROOM_ID];
  const contacts: string[] = [];
  for (const { room_id } of results) {
    const members = dmMembers(room_id);
    if (!members) {
      if (room_id !== GLOBAL_ROOM_ID) rooms.push(room_id);
    } else contacts.push(...members.filter((id) => id !== userId));
  }
  return { rooms, contacts: [...new Set(contacts)] };
}

export class Interests {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS interest (
      room_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (room_id, user_id))`);
    sql.exec('CREATE INDEX IF NOT EXISTS interest_user ON interest (user_id)');
    sql.exec(`CREATE TABLE IF NOT EXISTS contacts (
      user_id TEXT NOT NULL, contact_id TEXT NOT NULL, PRIMARY KEY (user_id, contact_id))`);
    sql.exec(
      'CREATE TABLE IF NOT EXISTS subscribed (room_id TEXT PRIMARY KEY, gen INTEGER NOT NULL)',
    );
  }

  /** Replaces what is known of `userId` (online now) with `chats`. */
  remember(userId: string, chats: UserChats): void {
    this.forget(userId);
    for (const roomId of chats.rooms) this.addRoom(userId, roomId);
    for (const contact of chats.contacts) this.addContact(userId, contact);
  }

  /** The user went offline here: returns their contacts (to tell them) and forgets the rest. */
  forget(userId: string): string[] {
    const contacts = this.contactsOf(userId);
    this.sql.exec('DELETE FROM interest WHERE user_id = ?', userId);
    this.sql.exec('DELETE FROM contacts WHERE user_id = ?', userId);
    return contacts;
  }

  /** Nobody here wants `roomId` (any row left is a user a restart dropped). */
  forgetRoom(roomId: string): void {
    this.sql.exec('DELETE FROM interest WHERE room_id = ?', roomId);
  }

  addRoom(userId: string, roomId: string): void {
    this.sql.exec(
      'INSERT OR IGNORE INTO interest (room_id, user_id) VALUES (?, ?)',
      roomId,
      userId,
    );
  }

  removeRoom(userId: string, roomId: string): void {
    this.sql.exec('DELETE FROM interest WHERE room_id = ? AND user_id = ?', roomId, userId);
  }

  /** Users here who want `roomId`'s activity. */
  interested(roomId: string): string[] {
    return this.sql
      .exec<{ user_id: string }>('SELECT user_id FROM interest WHERE room_id = ?', roomId)
      .toArray()
      .map((r) => r.user_id);
  }

  /** True if `contactId` is new for `userId`. */
  addContact(userId: string, contactId: string): boolean {
    return (
      this.sql.exec(
        'INSERT OR IGNORE INTO contacts (user_id, contact_id) VALUES (?, ?)',
        userId,
        contactId,
      ).rowsWritten > 0
    );
  }

  contactsOf(userId: string): string[] {
    return this.sql
      .exec<{ contact_id: string }>('SELECT contact_id FROM contacts WHERE user_id = ?', userId)
      .toArray()
      .map((r) => r.contact_id);
  }

  /** Of `roomIds`, those this shard is not subscribed to. */
  unsubscribed(roomIds: string[]): string[] {
    return roomIds.filter(
      (id) =>
        this.sql.exec('SELECT 1 FROM subscribed WHERE room_id = ?', id).toArray().length === 0,
    );
  }

  /** Records a subscription about to be asked for; `gen` tells it from any earlier one. */
  subscribing(roomId: string, gen: number): void {
    this.sql.exec('INSERT OR REPLACE INTO subscribed (room_id, gen) VALUES (?, ?)', roomId, gen);
  }

  /** Forgets the subscription to `roomId` (if still `gen`, when given); returns its gen. */
  unsubscribe(roomId: string, gen?: number): number | null {
    const [row] = this.sql
      .exec<{ gen: number }>('SELECT gen FROM subscribed WHERE room_id = ?', roomId)
      .toArray();
    if (!row || (gen !== undefined && row.gen !== gen)) return null;
    this.sql.exec('DELETE FROM subscribed WHERE room_id = ?', roomId);
    return row.gen;
  }
}
