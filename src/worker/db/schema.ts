/**
 * The D1 schema: the one source drizzle-kit generates `migrations/` from.
 * D1 is the system of record for users, sessions, rooms, memberships and history.
 */
import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    /** NFC + lower case: usernames are unique case-insensitively. */
    usernameKey: text('username_key').notNull(),
    /** Self-describing hash (`scrypt$N$r$p$salt$hash`); null for a guest. */
    passwordHash: text('password_hash'),
    /** Lower-cased; used for nothing (reset, mail) until `emailVerifiedAt` is set. */
    email: text('email'),
    /** When the address in `email` was proven by its verification link; null until then. */
    emailVerifiedAt: integer('email_verified_at'),
    color: text('color').notNull(),
    isGuest: integer('is_guest', { mode: 'boolean' }).notNull().default(false),
    /** SHA-256 of the guest's device token, so the same browser gets the same guest. */
    guestDeviceHash: text('guest_device_hash'),
    /**
     * The name's confusable skeleton (Unicode TR39): unique, so no name can look like
     * another. Null only for rows created before the column existed.
     */
    nameSkeleton: text('name_skeleton'),
    /**
     * The look-alike key of the display name (profiles/display-names.ts): '' for none, null
     * until computed (rows made before it existed are filled before any name check).
     */
    displaySkeleton: text('display_skeleton'),
    /** A widget visitor (issue 10): a guest who exists only in one embedded room. */
    isVisitor: integer('is_visitor', { mode: 'boolean' }).notNull().default(false),
    /**
     * A site's own user, identified by a token the room's secret signed: `<room id>:<sub>`,
     * unique, so one Parlor user per (room's site, sub). Null for everyone else.
     */
    identityKey: text('identity_key'),
    /**
     * A widget visitor's site: the origin it was made on (an identified user's: the origin of
     * its latest identify), shown beside its name ("via shop.example"). Null for everyone else.
     */
    visitorSite: text('visitor_site'),
    createdAt: integer('created_at').notNull(),
    /**
     * The account was deleted (src/worker/account/delete.ts): the row stays as the
     * "Deleted user" its removed messages point at, with no name, secret or address left.
     */
    deletedAt: integer('deleted_at'),
    /**
     * What others see besides the username (display name, avatar, status, away/DND) as JSON
     * (src/shared/profile.ts `storedProfile`); null: none. One column, so every query that
     * builds a `UserRef` reads one more column, not six.
     */
    profile: text('profile'),
    /** IANA time zone for the profile card's local time; null: not known. */
    timeZone: text('time_zone'),
    /** Sends and sees "Seen" in DMs (both members must have it on). */
    readReceipts: integer('read_receipts', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [
    uniqueIndex('users_username_key').on(t.usernameKey),
    // One account per proven address, so a reset link can only ever go to one account.
    uniqueIndex('users_verified_email')
      .on(t.email)
      .where(sql`email_verified_at IS NOT NULL`),
    uniqueIndex('users_guest_device').on(t.guestDeviceHash),
    uniqueIndex('users_name_skeleton').on(t.nameSkeleton),
    index('users_display_skeleton').on(t.displaySkeleton),
    uniqueIndex('users_identity_key').on(t.identityKey),
  ],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    /**
     * A widget visitor's session is scoped to one embedded room and the site it was made on:
     * it reaches that room's routes only, from Parlor's own origin or that site, while the
     * site stays on the room's list (src/worker/embed/scope.ts). Null for every other session.
     */
    embedRoomId: text('embed_room_id'),
    embedOrigin: text('embed_origin'),
    /** The browser's User-Agent at sign-in (first 256 characters), for the session list. */
    userAgent: text('user_agent'),
    /** Refreshed when the lobby socket opens, at most every few minutes (account/sessions.ts). */
    lastSeenAt: integer('last_seen_at'),
  },
  (t) => [
    index('sessions_user').on(t.userId),
    // A site leaving a room's list ends its widget sessions (src/worker/embed/settings.ts).
    index('sessions_embed')
      .on(t.embedRoomId, t.embedOrigin)
      .where(sql`embed_room_id IS NOT NULL`),
  ],
);

export const rooms = sqliteTable(
  'rooms',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['global', 'public', 'dm'] }).notNull(),
    name: text('name').notNull(),
    /** Case-folded name for public rooms (unique); null for DMs. */
    nameKey: text('name_key'),
    /** The room name's confusable skeleton (Unicode TR39), unique; null for DMs. */
    nameSkeleton: text('name_skeleton'),
    topic: text('topic'),
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull(),
    /** The latest event seq flushed from the room's Durable Object. */
    lastSeq: integer('last_seq').notNull().default(0),
    lastActivityAt: integer('last_activity_at').notNull(),
    /**
     * People online in the room now, for the room browser: written by the room's object at
     * most once a second while it changes (src/durable/room-online.ts), never per arrival.
     */
    onlineCount: integer('online_count').notNull().default(0),
    /** Issue 12 (room-admin.ts): the owner; null for the global room and DMs. */
    ownerId: text('owner_id'),
    description: text('description'),
    /** Invisible and unreadable to non-members; joined only by invitation. */
    isPrivate: integer('is_private', { mode: 'boolean' }).notNull().default(false),
    /** Read-only since then (sends refused with `room_archived`); null when open. */
    archivedAt: integer('archived_at'),
    /** One message per this many seconds per member (moderators exempt); 0 is off. */
    slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
  },
  (t) => [
    uniqueIndex('rooms_name_key').on(t.nameKey),
    uniqueIndex('rooms_name_skeleton').on(t.nameSkeleton),
    index('rooms_kind_activity').on(t.kind, t.lastActivityAt),
    index('rooms_created_by').on(t.createdBy, t.createdAt),
  ],
);

export const memberships = sqliteTable(
  'memberships',
  {
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    /** The highest seq this member has seen; unread = messages after it. */
    readSeq: integer('read_seq').notNull().default(0),
    joinedAt: integer('joined_at').notNull(),
    /** `moderator` is set by the room's owner (the owner is `rooms.owner_id`). */
    role: text('role', { enum: ['member', 'moderator'] })
      .notNull()
      .default('member'),
    /**
     * A DM this member closed, at the room's last seq then: out of their chat list until a
     * newer message (`last_seq` past it) or until they open it again. Null: shown.
     */
    hiddenSeq: integer('hidden_seq'),
    /**
     * 1 while someone added to the room by its owner or a moderator has not read it yet: the
     * room counts one unread in their chat list (the `invited` notice), set with the
     * membership itself so the row their tabs read at once already says so.
     */
    addedUnseen: integer('added_unseen').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index('memberships_user').on(t.userId)],
);

export const messages = sqliteTable(
  'messages',
  {
    roomId: text('room_id').notNull(),
    seq: integer('seq').notNull(),
    id: text('id').notNull(),
    authorId: text('author_id').notNull(),
    clientId: text('client_id').notNull(),
    text: text('text').notNull(),
    createdAt: integer('created_at').notNull(),
    editedAt: integer('edited_at'),
    deletedAt: integer('deleted_at'),
    /** The seq of the message (same room) this one replies to. */
    replyTo: integer('reply_to'),
    /** Who removed it, when a moderator (not its author) deleted it. */
    removedBy: text('removed_by'),
  },
  // No index on `id` (a random UUID): nothing looks a message up by it, and each one cost
  // every copied message a write at a random place in a large b-tree (a third of a local
  // copy's CPU, measured with the real migrations: 91 → 61 µs per message).
  (t) => [
    primaryKey({ columns: [t.roomId, t.seq] }),
    uniqueIndex('messages_idempotency').on(t.roomId, t.authorId, t.clientId),
  ],
);

/**
 * Reactions on messages: one row per (message, emoji, person), copied from the room's event
 * log (d1-sync.ts) like edits and deletes. History pages aggregate them per message.
 */
export const reactions = sqliteTable(
  'reactions',
  {
    roomId: text('room_id').notNull(),
    seq: integer('seq').notNull(),
    emoji: text('emoji').notNull(),
    userId: text('user_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.seq, t.emoji, t.userId] })],
);

/**
 * Failed sign-ins per username key, known or not, so throttling cannot tell an unknown
 * username from a wrong password.
 */
export const loginAttempts = sqliteTable('login_attempts', {
  usernameKey: text('username_key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: integer('locked_until').notNull().default(0),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Token buckets for limits that must hold across every Worker instance (guest creation per
 * client, room creation and join/leave per user, sign-in budget per client): taken with one
 * atomic statement each (src/worker/rate-buckets.ts).
 */
export const rateBuckets = sqliteTable('rate_buckets', {
  key: text('key').primaryKey(),
  tokens: real('tokens').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const GLOBAL_ROOM_ID = 'global';

/**
 * Sites allowed to embed a room (issue 10): exact origins, set by the room's owner. The
 * widget's page `/embed/<room>` is framed only by these (`frame-ancestors`), and only these
 * get CORS answers from the widget's API routes. The global room's list is configuration
 * (`GLOBAL_EMBED_ORIGINS`), not rows.
 */
export const embedOrigins = sqliteTable(
  'embed_origins',
  {
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id),
    origin: text('origin').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.origin] })],
);

/**
 * A room's identity secret (issue 10, `Parlor('identify')`): the key its site signs users'
 * tokens with (HS256). Stored encrypted with a key derived from SESSION_SECRET, shown to the
 * owner once when made; making a new one replaces it.
 */
export const roomIdentitySecrets = sqliteTable('room_identity_secrets', {
  roomId: text('room_id')
    .primaryKey()
    .references(() => rooms.id),
  /** AES-GCM: base64url of the 12-byte IV followed by the ciphertext. */
  secret: text('secret').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** Identity tokens already used (by SHA-256), kept until they expire: a replay is refused. */
export const usedIdentityTokens = sqliteTable(
  'used_identity_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('used_identity_tokens_expiry').on(t.expiresAt)],
);

/**
 * Notification levels (issue 11): a row only where a member picked one; otherwise the
 * chat's default (src/shared/attention.ts: DMs `all`, rooms `mentions`).
 */
export const notifyLevels = sqliteTable(
  'notify_levels',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id),
    level: text('level', { enum: ['all', 'mentions', 'none'] }).notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roomId] })],
);

/** A user's "do not disturb": nothing rings until `until` (ms); a row in the past is off. */
export const doNotDisturb = sqliteTable('do_not_disturb', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id),
  until: integer('until').notNull(),
});

/**
 * Who a message's `<@here>` reached: the room's members online in it when it was sent
 * (written by the room with its activity notice), so the chat list counts it as their
 * mention and nobody else's, and `mentions:me` finds it (by user: `here_mentions_user`).
 */
export const hereMentions = sqliteTable(
  'here_mentions',
  {
    roomId: text('room_id').notNull(),
    seq: integer('seq').notNull(),
    userId: text('user_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.roomId, t.seq, t.userId] }),
    index('here_mentions_user').on(t.userId, t.roomId, t.seq),
  ],
);

/**
 * Names recently given up (a rename, a deleted account): nobody else may take one until
 * `releaseAt`, so a person's old name cannot be grabbed at once to impersonate them. The
 * previous holder may take it back. Triggers (migration `name_holds_guard`) enforce this on
 * every insert and rename, so racing requests cannot pass the check in accounts.ts.
 */
export const nameHolds = sqliteTable(
  'name_holds',
  {
    nameKey: text('name_key').notNull(),
    nameSkeleton: text('name_skeleton').notNull(),
    userId: text('user_id').notNull(),
    releaseAt: integer('release_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.nameKey, t.userId] }),
    index('name_holds_key').on(t.nameKey, t.releaseAt),
    index('name_holds_skeleton').on(t.nameSkeleton, t.releaseAt),
  ],
);

/**
 * One-time links sent by mail (email verification, password reset): only the SHA-256 of the
 * token is stored, so a read of this table gives nobody a working link. `usedAt` makes each
 * single-use; `expiresAt` bounds its life.
 */
export const accountTokens = sqliteTable(
  'account_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id').notNull(),
    kind: text('kind', { enum: ['verify_email', 'reset_password'] }).notNull(),
    /** The address a verification link proves (it must still be the account's when used). */
    email: text('email'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('account_tokens_user').on(t.userId, t.kind)],
);

/**
 * The development mail outbox (src/worker/mail/dev-outbox.ts): mails are stored here and
 * shown at `/api/_dev/outbox` instead of being sent, only when DEV_OUTBOX=1.
 */
export const devOutbox = sqliteTable('dev_outbox', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * Files uploaded into a chat (issue 12): the bytes are in R2 under `files/<room id>/<id>`,
 * this row is what may be served and to whom. A file is attached to a message by the
 * message's identity (room, author, clientId: unique in `messages`), claimed when the room
 * accepts the `send` that names it, so the claim needs no seq and a retried send re-claims.
 * Deleting the message deletes the row and the object (src/durable/attachments.ts).
 */
export const files = sqliteTable(
  'files',
  {
    id: text('id').primaryKey(),
    roomId: text('room_id').notNull(),
    uploaderId: text('uploader_id').notNull(),
    /** As the uploader named it (control characters and path separators removed). */
    name: text('name').notNull(),
    /** Detected from the bytes, never taken from the client (src/worker/files/sniff.ts). */
    type: text('type').notNull(),
    size: integer('size').notNull(),
    /** Pixels, for images whose header says (null otherwise). */
    width: integer('width'),
    height: integer('height'),
    createdAt: integer('created_at').notNull(),
    /** The clientId of the uploader's message in this room that carries it; null until sent. */
    messageClientId: text('message_client_id'),
    /** Its place among that message's files (0 first). */
    position: integer('position'),
  },
  (t) => [
    index('files_message').on(t.roomId, t.uploaderId, t.messageClientId),
    index('files_uploader').on(t.uploaderId, t.createdAt),
  ],
);

/**
 * Bytes each person uploaded per UTC day (`day` = days since the epoch), for FILE_DAILY_BYTES.
 * Kept apart from `files` so deleting a message does not give its bytes back.
 */
export const fileUploadDays = sqliteTable(
  'file_upload_days',
  {
    userId: text('user_id').notNull(),
    day: integer('day').notNull(),
    bytes: integer('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
);

/** People banned from a room: cannot join, open its socket, read it or use its invites. */
export const roomBans = sqliteTable(
  'room_bans',
  {
    roomId: text('room_id').notNull(),
    userId: text('user_id').notNull(),
    bannedBy: text('banned_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] })],
);

/**
 * Invite links to a room: the link carries a random token, only its SHA-256 is stored. Valid
 * until `expiresAt`, for `maxUses` joins, unless revoked.
 */
export const roomInvites = sqliteTable(
  'room_invites',
  {
    id: text('id').primaryKey(),
    roomId: text('room_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    maxUses: integer('max_uses').notNull(),
    uses: integer('uses').notNull().default(0),
    revokedAt: integer('revoked_at'),
  },
  (t) => [
    uniqueIndex('room_invites_token').on(t.tokenHash),
    index('room_invites_room').on(t.roomId),
  ],
);

/**
 * A room's notices (joins, leaves, every moderation action) copied from its event log like
 * messages (d1-sync.ts): history pages carry them, and the moderation kinds are the audit list.
 */
export const roomNotices = sqliteTable(
  'room_notices',
  {
    roomId: text('room_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    actorId: text('actor_id'),
    subjectId: text('subject_id'),
    /** The notice as the event carried it (JSON). */
    data: text('data').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.seq] })],
);

/**
 * The messages pinned in each chat, copied from the rooms' `pinned`/`unpinned` notices
 * (d1-notices.ts): the pinned list and history pages read it. A deleted message's row may
 * stay; every read joins `messages` and skips it.
 */
export const pins = sqliteTable(
  'pins',
  {
    roomId: text('room_id').notNull(),
    seq: integer('seq').notNull(),
    pinnedBy: text('pinned_by').notNull(),
    pinnedAt: integer('pinned_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.seq] })],
);

/**
 * Who blocked whom (src/worker/blocks.ts): `userId` blocked `blockedId`. Either direction
 * closes their pair's DM to new messages and reactions and keeps them out of one new group
 * DM; the blocker's client also folds the blocked person's messages away and never rings for
 * them. Read by blocker (the list) and by the pair (the DM's state), both on the key.
 */
export const blocks = sqliteTable(
  'blocks',
  {
    userId: text('user_id').notNull(),
    blockedId: text('blocked_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.blockedId] })],
);

/**
 * Account deletions still under way (src/worker/account/erasure.ts): written in the same
 * batch that turns the user into a tombstone, one row per room the person left a trace in.
 * A room's `erasedAt` is set once its object has taken back their messages and reactions;
 * the deletion is done (`finishedAt`) when every room is and their stored bytes are gone.
 * A Worker that dies midway leaves these rows, and the scheduled sweep finishes the job.
 */
export const accountErasures = sqliteTable(
  'account_erasures',
  {
    userId: text('user_id').primaryKey(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    attempts: integer('attempts').notNull().default(0),
    /** The last failure's message (never user text), for an operator. */
    lastError: text('last_error'),
  },
  (t) => [index('account_erasures_pending').on(t.finishedAt, t.startedAt)],
);

export const accountErasureRooms = sqliteTable(
  'account_erasure_rooms',
  {
    userId: text('user_id').notNull(),
    roomId: text('room_id').notNull(),
    erasedAt: integer('erased_at'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roomId] })],
);
