/**
 * What crosses the wire between the web client, the Worker and the Durable Objects:
 * every WebSocket frame as a zod schema, with its TypeScript type inferred from it.
 * docs/protocol.md describes the same frames in prose; keep the two in step.
 */
import * as z from 'zod/mini';
import { dndFrame, notifyLevel, notifyLevelFrame } from './attention';
import { CHAT_KINDS } from './chat-kind';
import { ERROR_CODES } from './errors';
import { fileIds, fileInfo } from './files';
import { codePoints, LIMITS } from './limits';
import { noticeEvent } from './moderation';
import { userRef } from './user-ref';

/** Bumped whenever a frame changes shape incompatibly. Sent in every `hello`. */
export const PROTOCOL_VERSION = 1;

export { userRef, type UserRef } from './user-ref';

/**
 * One emoji: a single RGI emoji (with its skin tone or ZWJ sequence), nothing else — no
 * text, no invisible characters.
 */
export const emoji = z.string().check(
  z.maxLength(32),
  // Built from a string: the `v` flag (Unicode properties of strings) is ES2024 syntax.
  z.regex(new RegExp('^\\p{RGI_Emoji}$', 'v'), 'A reaction is one emoji'),
);

/** Reactions of one emoji on a message: how many, some of who, and whether you are one. */
export const reactionSummary = z.object({
  emoji: z.string(),
  count: z.number(),
  /** Up to LIMITS.reactionUsersListed user ids, earliest first. */
  users: z.array(z.string()),
  /** The viewer reacted with it (history only; live frames name the user). */
  me: z.boolean(),
});
export type ReactionSummary = z.infer<typeof reactionSummary>;

/** A stored chat message as history and live frames carry it. */
export const message = z.object({
  id: z.string(),
  roomId: z.string(),
  seq: z.number().check(z.int(), z.positive()),
  author: userRef,
  text: z.string(),
  createdAt: z.number().check(z.int()),
  editedAt: z.nullable(z.number().check(z.int())),
  deleted: z.boolean(),
  /** The seq of the message this one replies to, in the same room; null if none. */
  replyTo: z.nullable(z.number()),
  /** In the order each emoji was first used; empty on a new or deleted message. */
  reactions: z.array(reactionSummary),
  /** Attached files, in the order sent; absent when there are none (and once deleted). */
  files: z.optional(z.array(fileInfo)),
  /** Deleted by a moderator, not its author (the tombstone says so). */
  removed: z.optional(z.boolean()),
  /** Pinned to the chat (history pages; live, a `pinned`/`unpinned` notice says so). */
  pinned: z.optional(z.boolean()),
});
export type Message = z.infer<typeof message>;

// Characters are code points: an emoji outside the BMP is one, not two UTF-16 units.
const withinLength = z.superRefine((text: string, ctx) => {
  if (codePoints(text) <= LIMITS.messageChars) return;
  ctx.addIssue({
    code: 'too_big',
    origin: 'string',
    maximum: LIMITS.messageChars,
    inclusive: true,
    message: `Message is longer than ${LIMITS.messageChars} characters`,
  });
});
const messageText = z.string().check(z.trim(), z.minLength(1, 'Message is empty'), withinLength);
/** A sent message's text, which may be empty when files are attached (the frame checks). */
const messageBody = z.string().check(z.trim(), withinLength);

const clientId = z
  .string()
  .check(
    z.minLength(8),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9_-]+$/, 'clientId must be 8–64 URL-safe characters'),
  );

// ---------------------------------------------------------------------------
// Client → room frames
// ---------------------------------------------------------------------------

const seq = z.number().check(z.int(), z.positive());

/**
 * A new message; `replyTo` quotes an earlier message of the room (not a deleted one);
 * `files` attaches the sender's own uploads to this room (ids from `POST /files`). A
 * message with files may have no text.
 */
export const sendFrame = z
  .object({
    type: z.literal('send'),
    clientId,
    text: messageBody,
    replyTo: z.optional(seq),
    files: z.optional(fileIds),
  })
  .check(
    z.refine((f) => f.text !== '' || (f.files?.length ?? 0) > 0, {
      message: 'Message is empty',
      path: ['text'],
    }),
  );
export const editFrame = z.object({
  type: z.literal('edit'),
  target: z.number().check(z.int(), z.positive()),
  text: messageText,
});
export const deleteFrame = z.object({
  type: z.literal('delete'),
  target: z.number().check(z.int(), z.positive()),
});
/** Adds (`on`) or removes the sender's reaction; idempotent per user and emoji. */
export const reactFrame = z.object({
  type: z.literal('react'),
  target: z.number().check(z.int(), z.positive()),
  emoji,
  on: z.boolean(),
});
/**
 * Pins (`on`) or unpins a message: the owner and moderators of a room, either member of a DM.
 * A pin that changes nothing makes no event.
 */
export const pinFrame = z.object({
  type: z.literal('pin'),
  target: z.number().check(z.int(), z.positive()),
  on: z.boolean(),
});
export const typingFrame = z.object({ type: z.literal('typing') });
/**
 * Flow control: the characters (UTF-16 units, as `string.length` counts) of frames this
 * client has received since its previous receipt. Sent after every LIMITS.receiptChars;
 * a socket that sends none falls behind and is closed with 4000 (see LIMITS.unsentChars).
 * Accepted on room and lobby sockets.
 */
export const receivedFrame = z.object({
  type: z.literal('received'),
  chars: z.number().check(z.int(), z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER)),
});

/** Everything a client may send to a room socket. */
export const clientFrame = z.discriminatedUnion('type', [
  sendFrame,
  editFrame,
  deleteFrame,
  reactFrame,
  pinFrame,
  typingFrame,
  receivedFrame,
]);
export type ClientFrame = z.infer<typeof clientFrame>;
export const CLIENT_FRAME_TYPES = frameTypes(clientFrame);

/** Everything a client may send to a lobby socket: only receipts. */
export const lobbyClientFrame = z.discriminatedUnion('type', [receivedFrame]);
export type LobbyClientFrame = z.infer<typeof lobbyClientFrame>;
export const LOBBY_CLIENT_FRAME_TYPES = frameTypes(lobbyClientFrame);

/** The `type` literals of a union of frames, in order. */
function frameTypes<F extends z.ZodMiniObject<{ type: z.ZodMiniLiteral<string> }>>(
  union: z.ZodMiniDiscriminatedUnion<readonly F[]>,
): F['shape']['type']['_zod']['output'][] {
  return union.def.options.map((o) => o.shape.type.def.values[0]!);
}

// ---------------------------------------------------------------------------
// Room → client frames
// ---------------------------------------------------------------------------

/** Events stored in the room's order. Each one takes the next `seq`. */
export const messageEvent = z.object({ type: z.literal('message'), seq: z.number(), message });
export const editEvent = z.object({
  type: z.literal('edit'),
  seq: z.number(),
  target: z.number(),
  text: z.string(),
  editedAt: z.number(),
});
export const deleteEvent = z.object({
  type: z.literal('delete'),
  seq: z.number(),
  target: z.number(),
  deletedAt: z.number(),
  /** A moderator removed it (not its author). */
  removed: z.optional(z.boolean()),
});
/** A reaction added or removed: one event per change, none for a repeat. */
export const reactionEvent = z.object({
  type: z.literal('reaction'),
  seq: z.number(),
  target: z.number(),
  emoji: z.string(),
  user: userRef,
  on: z.boolean(),
  at: z.number(),
});
export const roomEvent = z.discriminatedUnion('type', [
  messageEvent,
  editEvent,
  deleteEvent,
  reactionEvent,
  noticeEvent,
]);
export type RoomEvent = z.infer<typeof roomEvent>;

export const helloFrame = z.object({
  type: z.literal('hello'),
  protocol: z.literal(PROTOCOL_VERSION),
  roomId: z.string(),
  you: userRef,
  /** The room's latest seq when the socket opened, before any replay. */
  seq: z.number(),
  /** Who is online, each once: everyone, or LIMITS.presenceListed of them (you first). */
  online: z.array(userRef),
  /** How many are online in all. */
  onlineCount: z.number(),
});
export const ackFrame = z.object({
  type: z.literal('ack'),
  clientId: z.string(),
  seq: z.number(),
  id: z.string(),
  createdAt: z.number(),
});
/** Replay of missed events is complete; live events follow. */
export const caughtUpFrame = z.object({ type: z.literal('caught_up'), seq: z.number() });
/** The client's gap cannot be replayed: page history over HTTP, then follow live events. */
export const resyncFrame = z.object({
  type: z.literal('resync'),
  seq: z.number(),
  reason: z.string(),
});
export const presenceFrame = z.object({
  type: z.enum(['online', 'offline']),
  user: userRef,
});
/**
 * A busy room's presence (more than LIMITS.presenceListed online): the count and some of
 * the people, at most every LIMITS.presenceSnapshotMs, instead of `online`/`offline`. When
 * the room is back under the limit, one last snapshot names everyone and the per-user
 * frames resume.
 */
export const presenceSnapshotFrame = z.object({
  type: z.literal('presence'),
  count: z.number(),
  online: z.array(userRef),
});
export const typingNotice = z.object({ type: z.literal('typing'), user: userRef });
/**
 * A person's name or colour changed: clients show the current one for every message by
 * `user.id` (names are never taken from a message's stored copy). Not stored, no `seq`.
 */
export const userUpdatedFrame = z.object({ type: z.literal('user'), user: userRef });
/**
 * DMs only: the other member has read up to `seq` (their read cursor). Sent only to the
 * other member, and only while both have read receipts on. Not an event (a read would
 * otherwise take a seq of its own); the cursor only grows, so any order converges, and a
 * client that reconnects asks `GET /api/rooms/:id/receipt`.
 */
export const readReceiptFrame = z.object({
  type: z.literal('read'),
  user: z.string(),
  seq: z.number(),
});
export const errorFrame = z.object({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** The clientId or target of the frame that failed, when it had one. */
  ref: z.optional(z.union([z.string(), z.number()])),
  retryAfterMs: z.optional(z.number()),
});
export type ErrorFrame = z.infer<typeof errorFrame>;

const singleServerFrame = z.union([
  helloFrame,
  roomEvent,
  ackFrame,
  caughtUpFrame,
  resyncFrame,
  presenceFrame,
  presenceSnapshotFrame,
  typingNotice,
  userUpdatedFrame,
  readReceiptFrame,
  errorFrame,
]);
/**
 * Under load a room coalesces everything queued for one socket into one `batch` frame,
 * in order; a quiet room sends single frames with no added delay.
 */
export const batchFrame = z.object({
  type: z.literal('batch'),
  frames: z.array(singleServerFrame),
});
export const serverFrame = z.union([singleServerFrame, batchFrame]);
export type ServerFrame = z.infer<typeof singleServerFrame>;
export type AnyServerFrame = z.infer<typeof serverFrame>;

// ---------------------------------------------------------------------------
// Lobby → client frames (one socket per tab: global presence and chat activity)
// ---------------------------------------------------------------------------

export const activityFrame = z.object({
  type: z.literal('activity'),
  roomId: z.string(),
  kind: z.enum(CHAT_KINDS),
  /** The room's latest seq. */
  seq: z.number(),
  /** New messages since the previous activity notice for this room. */
  count: z.number(),
  at: z.number(),
  last: z.nullable(message),
  /** Who the messages since the previous notice mentioned (user ids, or `here`). */
  mentioned: z.optional(z.array(z.string())),
  /** For its reader (set by their hub shard): whether the messages mention them, by id or
   * by `@here` while they had the room open; their level for the chat; whether it rings. */
  mentionsYou: z.optional(z.boolean()),
  level: z.optional(notifyLevel),
  alert: z.optional(z.boolean()),
  /** Messages were edited or deleted since the previous notice (`count` may be 0), and D1
   * has them: `GET /api/chats` read now is exact. */
  changed: z.optional(z.boolean()),
  /** With `changed`: the highest seq edited or deleted. A reader whose read cursor is at or
   * past it, and whose chat preview is an older message, has nothing to read again. */
  changedSeq: z.optional(z.number()),
});
export type ActivityFrame = z.infer<typeof activityFrame>;
export const lobbyHelloFrame = z.object({
  type: z.literal('hello'),
  protocol: z.literal(PROTOCOL_VERSION),
  you: userRef,
  online: z.array(userRef),
});
export const lobbyFrame = z.union([
  lobbyHelloFrame,
  presenceFrame,
  activityFrame,
  userUpdatedFrame,
  notifyLevelFrame,
  dndFrame,
  /** The user's own row for a chat changed: their read cursor moved (in any of their tabs),
   * or they are no longer a member (left, removed, banned, chat deleted). */
  // `unbanned`: a ban ended; a tab that still shows the chat as lost may open it afresh.
  z.object({ type: z.literal('chat'), roomId: z.string(), unbanned: z.optional(z.literal(true)) }),
  errorFrame,
]);
export type LobbyFrame = z.infer<typeof lobbyFrame>;

// ---------------------------------------------------------------------------
// Close codes: what a client should do when the server ends a socket
// ---------------------------------------------------------------------------

/**
 * Every close code the server uses, and what it asks of the client. Codes in 4000–4999 are
 * Parlor's own (RFC 6455 leaves them to applications).
 */
export const CLOSE_CODES = {
  /** Left the chat (or the server is done with the socket): do not reconnect. */
  normal: 1000,
  /** The session ended (logout, revoked, expired) or the client broke a rule: sign in again. */
  policy: 1008,
  /** A frame over LIMITS.frameBytes. */
  tooLarge: 1009,
  /** Something failed on the server: reconnect with backoff and resume. */
  serverError: 1011,
  /** The server dropped this socket but nothing is wrong with the session (a slow reader
   * whose buffer passed the bound, a relay restart): reconnect now with `after=` and resume. */
  resume: 4000,
  /** Connecting too often (CONNECTS_PER_USER): reconnect with backoff (the standard 1013). */
  tryAgainLater: 1013,
  /** Too many sockets for this user (per object or in total): do not reconnect on your own. */
  tooManySockets: 4029,
} as const;
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
