/** Users and sessions as rows: creation, the shapes the API returns, colours. */
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Me } from '../shared/api';
import { usernameKey } from '../shared/api';
import { nameSkeleton } from '../shared/names';
import { profileRefFields } from '../shared/profile';
import type { UserRef } from '../shared/protocol';
import type { UserKind } from '../shared/user-ref';
import {
  ACCOUNT_SESSION_SECONDS,
  GUEST_SESSION_SECONDS,
  signSession,
  VISITOR_SESSION_SECONDS,
} from './auth/session';
import type { Db, UserRow } from './context';
import * as schema from './db/schema';
import { assertNotHeld } from './account/name-hold';
import { releaseExpiredHolders } from './account/expired-guests';
import { lookAlikeOf } from './profiles/display-names';
import { ApiError } from './errors';

// Mid-tone colours that stay readable as text on both the light and the dark theme.
const COLORS = [
  '#d93f45',
  '#d9541e',
  '#c26a00',
  '#9c7a1a',
  '#3f8f3a',
  '#0f8f7f',
  '#0a8bb0',
  '#2f7ad9',
  '#4f63d6',
  '#7453d6',
  '#9146c0',
  '#b03fae',
  '#c93a86',
  '#7a7a7a',
];

export function pickColor(): string {
  return COLORS[crypto.getRandomValues(new Uint32Array(1))[0]! % COLORS.length]!;
}

/** A widget user's kind (src/shared/user-ref.ts), or none for an account or app guest. */
export function kindOf(u: Pick<UserRow, 'isVisitor' | 'identityKey'>): UserKind | undefined {
  if (!u.isVisitor) return undefined;
  return u.identityKey === null ? 'visitor' : 'identified';
}

export function toUserRef(
  u: Pick<
    UserRow,
    | 'id'
    | 'username'
    | 'color'
    | 'isGuest'
    | 'profile'
    | 'isVisitor'
    | 'identityKey'
    | 'visitorSite'
  >,
): UserRef {
  const kind = kindOf(u);
  return {
    id: u.id,
    name: u.username,
    color: u.color,
    guest: u.isGuest,
    ...(kind && { kind, ...(u.visitorSite && { site: u.visitorSite }) }),
    ...profileRefFields(u.profile),
  };
}

export function toMe(u: UserRow): Me {
  return {
    ...toUserRef(u),
    username: u.username,
    email: u.email,
    timeZone: u.timeZone,
    readReceipts: u.readReceipts,
  };
}

/**
 * Inserts a user and their global-room membership (a widget visitor's: their embedded room's
 * only); 409 if the name is taken or too similar.
 */
export async function createUser(
  env: Env,
  db: Db,
  fields: {
    username: string;
    passwordHash: string | null;
    email?: string;
    guestDeviceHash?: string;
    /** Makes a widget visitor, a member of this room alone. */
    visitorRoomId?: string;
    /** A widget visitor's site (its origin). */
    visitorSite?: string;
  },
): Promise<UserRow> {
  await assertNameFree(env, db, fields.username);
  const now = Date.now();
  const user: UserRow = {
    id: crypto.randomUUID(),
    username: fields.username,
    usernameKey: usernameKey(fields.username),
    nameSkeleton: nameSkeleton(fields.username),
    passwordHash: fields.passwordHash,
    email: fields.email ?? null,
    color: pickColor(),
    isGuest: fields.passwordHash === null,
    guestDeviceHash: fields.guestDeviceHash ?? null,
    isVisitor: fields.visitorRoomId !== undefined,
    identityKey: null,
    visitorSite: fields.visitorSite ?? null,
    createdAt: now,
    emailVerifiedAt: null,
    deletedAt: null,
    profile: null,
    displaySkeleton: '',
    timeZone: null,
    readReceipts: true,
  };
  const roomId = fields.visitorRoomId ?? schema.GLOBAL_ROOM_ID;
  try {
    await db.batch([
      db.insert(schema.users).values(user),
      db.insert(schema.memberships).values({
        roomId,
        userId: user.id,
        joinedAt: now,
        readSeq: readFromNow(roomId),
      }),
    ]);
  } catch (err) {
    throw nameConflict(err);
  }
  return user;
}

/**
 * 409 when another user has the name (case-insensitively) or a name that looks the same
 * (equal confusable skeleton). The unique indexes on both columns are what really holds
 * under races; this check only finds which message to give first. A guest whose sessions
 * have all expired gives the name up first (account/expired-guests.ts).
 */
export async function assertNameFree(
  env: Env,
  db: Db,
  name: string,
  exceptUserId?: string,
): Promise<void> {
  await backfillSkeletons(db);
  await releaseExpiredHolders(env, db, name);
  await assertNotHeld(db, name, exceptUserId);
  const key = usernameKey(name);
  const skeleton = nameSkeleton(name);
  const clash = await db.query.users.findFirst({
    columns: { id: true, username: true, usernameKey: true },
    where: or(eq(schema.users.usernameKey, key), eq(schema.users.nameSkeleton, skeleton)),
  });
  if (clash && clash.id !== exceptUserId) {
    if (clash.usernameKey === key) throw usernameTaken();
    throw nameTooSimilar(clash.username);
  }
  // Nor a name that looks like someone's display name, shown on their every message.
  const shownAs = await lookAlikeOf(db, name, exceptUserId ?? '', false);
  if (shownAs) throw nameTooSimilar(shownAs);
}

// D1 binds at most 100 parameters a statement; the `inArray` read binds one per row.
const BACKFILL_BATCH = 90;

/**
 * Users created before `name_skeleton` existed have none, and a look-alike of their name
 * would pass. The skeleton is computed in JavaScript (SQLite has no TR39), so the rows are
 * filled here, before any name check, until none is left; afterwards this is one indexed
 * read. Two old names that already look alike cannot share the unique skeleton: the later
 * one keeps `skeleton#id`, unique and still never equal to a new name's skeleton.
 */
async function backfillSkeletons(db: Db): Promise<void> {
  for (let round = 0; round < 50; round += 1) {
    const missing = await db
      .select({ id: schema.users.id, username: schema.users.username })
      .from(schema.users)
      .where(isNull(schema.users.nameSkeleton))
      .orderBy(schema.users.createdAt)
      .limit(BACKFILL_BATCH);
    if (missing.length === 0) return;
    const seen = new Set<string>();
    const taken = await db
      .select({ skeleton: schema.users.nameSkeleton })
      .from(schema.users)
      .where(
        inArray(
          schema.users.nameSkeleton,
          missing.map((u) => nameSkeleton(u.username)),
        ),
      );
    for (const t of taken) seen.add(t.skeleton!);
    const updates = missing.map((u) => {
      const skeleton = nameSkeleton(u.username);
      const unique = seen.has(skeleton) ? `${skeleton}#${u.id}` : skeleton;
      seen.add(skeleton);
      return db
        .update(schema.users)
        .set({ nameSkeleton: unique })
        .where(and(eq(schema.users.id, u.id), isNull(schema.users.nameSkeleton)));
    });
    try {
      await db.batch(updates as [(typeof updates)[number], ...typeof updates]);
    } catch (err) {
      // A concurrent backfill took a skeleton first: the next name check finishes the job.
      if (isUniqueViolation(err)) return;
      throw err;
    }
    if (missing.length < BACKFILL_BATCH) return;
  }
}

/**
 * Renames a user, keeping the key and skeleton in step; 409 as `assertNameFree`. The old
 * name is held for the user until `holdUntil` (account/name-hold.ts).
 */
export async function renameUser(
  env: Env,
  db: Db,
  user: UserRow,
  name: string,
  holdUntil: number,
): Promise<UserRow> {
  await assertNameFree(env, db, name, user.id);
  try {
    const [[renamed]] = await db.batch([
      db
        .update(schema.users)
        .set({ username: name, usernameKey: usernameKey(name), nameSkeleton: nameSkeleton(name) })
        .where(eq(schema.users.id, user.id))
        .returning(),
      db
        .insert(schema.nameHolds)
        .values({
          nameKey: user.usernameKey,
          nameSkeleton: nameSkeleton(user.username),
          userId: user.id,
          releaseAt: holdUntil,
        })
        .onConflictDoUpdate({
          target: [schema.nameHolds.nameKey, schema.nameHolds.userId],
          set: { nameSkeleton: nameSkeleton(user.username), releaseAt: holdUntil },
        }),
    ]);
    return renamed!;
  } catch (err) {
    throw nameConflict(err);
  }
}

/** The 409 for a unique violation on a name column (a racing insert), else `err` itself. */
function nameConflict(err: unknown): unknown {
  if (!isUniqueViolation(err)) return err;
  return /name_skeleton/.test(String((err as { cause?: unknown })?.cause ?? err))
    ? nameTooSimilar()
    : usernameTaken();
}

/** The 409 for a name whose confusable skeleton is taken (a user's, or a room's with `field`). */
export function nameTooSimilar(
  existing?: string,
  field: 'username' | 'name' | 'displayName' = 'username',
): ApiError {
  const which = existing
    ? ` "${existing}"`
    : field === 'name'
      ? ' an existing room'
      : ' an existing name';
  return new ApiError(
    409,
    'name_too_similar',
    `That name looks the same as${which}; choose a clearly different one`,
    field,
  );
}

/** A new member starts with nothing unread: the cursor at the room's latest seq. */
export function readFromNow(roomId: string) {
  return sql<number>`(SELECT last_seq FROM rooms WHERE id = ${roomId})`;
}

export function usernameTaken(): ApiError {
  return new ApiError(409, 'username_taken', 'That username is taken', 'username');
}

export function isUniqueViolation(err: unknown): boolean {
  const text = String((err as { cause?: unknown })?.cause ?? err);
  return /UNIQUE constraint failed/i.test(text);
}

/** A widget visitor's session: its room and the site it was made on (src/worker/embed/scope.ts). */
export interface EmbedScope {
  roomId: string;
  origin: string;
}

/** Creates a session row and the JWT that names it; a visitor's is scoped to `embed`. */
export async function startSession(
  db: Db,
  secret: string,
  user: UserRow,
  embed?: EmbedScope,
  device: { userAgent?: string } = {},
): Promise<{ token: string; maxAge: number; sessionId: string }> {
  const maxAge = embed
    ? VISITOR_SESSION_SECONDS
    : user.isGuest
      ? GUEST_SESSION_SECONDS
      : ACCOUNT_SESSION_SECONDS;
  const now = Date.now();
  const sessionId = crypto.randomUUID();
  const expiresAt = now + maxAge * 1000;
  await db.insert(schema.sessions).values({
    id: sessionId,
    userId: user.id,
    createdAt: now,
    expiresAt,
    embedRoomId: embed?.roomId ?? null,
    embedOrigin: embed?.origin ?? null,
    userAgent: device.userAgent?.slice(0, 256) ?? null,
  });
  const token = await signSession(secret, { userId: user.id, sessionId, expiresAt });
  return { token, maxAge, sessionId };
}

export async function findUserByKey(db: Db, key: string): Promise<UserRow | undefined> {
  return db.query.users.findFirst({ where: eq(schema.users.usernameKey, key) });
}

export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
