/**
 * REST request bodies and response shapes for `/api/*`. The Worker parses every body with
 * these schemas; the client uses the same ones to show errors next to the right field.
 */
import * as z from 'zod/mini';
import { codePoints, LIMITS } from './limits';
import {
  codePointLabel,
  forbiddenCodePoint,
  freeTextProblem,
  NAME_MARKS_IN_A_ROW,
  stacksMarks,
} from './name-chars';
import type { NotifyLevel } from './attention';
import type { NoticeEvent } from './moderation';
import type { Message, UserRef } from './protocol';

const USERNAME_CHARS = /^[\p{L}\p{M}\p{Nd}_.-]+(?: [\p{L}\p{M}\p{Nd}_.-]+)*$/u;

const stackedMessage = (what: string) =>
  `${what} may stack at most ${NAME_MARKS_IN_A_ROW} accent marks on a letter`;

/** The message for a name holding a code point `forbiddenCodePoint` found. */
function forbiddenMessage(what: string, char: string): string {
  return `${what} contains an invisible, filler or control character (${codePointLabel(char)})`;
}

/**
 * Usernames (also a guest's display name): NFC, outer spaces trimmed, 2–32 characters,
 * letters/digits/`_`/`-`/`.` with single spaces between words ("Visitor Val"), and no
 * default-ignorable, filler, bidi, tag or control code point. Names whose confusable
 * skeleton equals an existing user's are refused by the server (`name_too_similar`).
 */
export const username = z
  .pipe(
    z.string({
      error: (iss) => (iss.input === undefined ? 'Username is required' : 'Username must be text'),
    }),
    z.transform((s: string) => s.normalize('NFC').trim()),
  )
  .check(
    z.superRefine((s, ctx) => {
      const length = [...s].length;
      const forbidden = forbiddenCodePoint(s);
      if (forbidden) {
        ctx.addIssue({ code: 'custom', message: forbiddenMessage('Username', forbidden) });
      } else if (length < 2 || length > 32) {
        ctx.addIssue({ code: 'custom', message: 'Username must be 2–32 characters' });
      } else if (/ {2}/.test(s)) {
        ctx.addIssue({ code: 'custom', message: 'Use single spaces between the words of a name' });
      } else if (stacksMarks(s)) {
        ctx.addIssue({ code: 'custom', message: stackedMessage('Username') });
      } else if (!USERNAME_CHARS.test(s)) {
        ctx.addIssue({
          code: 'custom',
          message: 'Username may contain only letters, digits, spaces, "_", "-" and "."',
        });
      }
    }),
  );

/** The key usernames are unique under: NFC, outer spaces trimmed, then case-folded. */
export function usernameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase().normalize('NFC');
}

export const password = z
  .string({
    error: (iss) => (iss.input === undefined ? 'Password is required' : 'Password must be text'),
  })
  .check(
    z.minLength(8, 'Password must be at least 8 characters'),
    z.maxLength(256, 'Password must be at most 256 characters'),
  );

export const registerBody = z.object({
  username,
  password,
  email: z.optional(
    z.email('Email is not valid').check(z.maxLength(254, 'Email must be at most 254 characters')),
  ),
});
// The sign-in form checks these in the browser, which has no zod locale (zod-messages.ts).
// Empty is refused here, not answered "wrong username or password": nothing to check, and
// an empty try must not count against the sign-in throttle.
export const loginBody = z.object({
  username: z
    .string('Username is required')
    .check(
      z.minLength(1, 'Enter your username'),
      z.maxLength(64, 'Username must be at most 64 characters'),
    ),
  password: z
    .string('Password is required')
    .check(
      z.minLength(1, 'Enter your password'),
      z.maxLength(256, 'Password must be at most 256 characters'),
    ),
});
export const guestBody = z.object({ name: username });
export const claimBody = z.object({ password });
/** `PATCH /api/me`: renaming is this explicit request, never a side effect of signing in. */
export const renameBody = z.object({ username });
/**
 * A room's topic or description as its owner writes it: NFC, trimmed, at most `max`
 * characters (code points), with no invisible or control character (line breaks only where
 * `lines` allows them, as `\n`) and no stack of combining marks (name-chars.ts,
 * freeTextProblem): everyone who opens or browses the room sees it. Empty clears it.
 */
export function roomText(what: 'Topic' | 'Description', max: number, lines = false) {
  return z.pipe(
    z.pipe(
      z.string(),
      z.transform((s: string) => s.replace(/\r\n?/g, '\n').normalize('NFC').trim()),
    ),
    z.string().check(
      z.superRefine((s, ctx) => {
        const problem =
          codePoints(s) > max
            ? `${what} is longer than ${max} characters`
            : freeTextProblem(what, s, { marks: LIMITS.marksInARow, lines });
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    ),
  );
}

export const createRoomBody = z.object({
  name: z.pipe(
    z.pipe(
      z.string(),
      z.transform((s: string) => s.normalize('NFC').trim()),
    ),
    z.string().check(
      // Characters are code points, as for usernames: one emoji is one, not two.
      z.superRefine((s, ctx) => {
        const length = [...s].length;
        const forbidden = forbiddenCodePoint(s);
        const { min, max } = LIMITS.roomName;
        const message =
          length < min
            ? `Room name must be at least ${min} characters`
            : length > max
              ? `Room name must be at most ${max} characters`
              : forbidden
                ? forbiddenMessage('Room name', forbidden)
                : stacksMarks(s) && stackedMessage('Room name');
        if (message) ctx.addIssue({ code: 'custom', message });
      }),
    ),
  ),
  topic: z.optional(roomText('Topic', LIMITS.topicChars)),
  /** Invisible to non-members and joined only by invitation (issue 12). */
  private: z.optional(z.boolean()),
});
export const openDmBody = z.object({ userId: z.string().check(z.minLength(1), z.maxLength(64)) });
export const readCursorBody = z.object({ seq: z.number().check(z.int(), z.nonnegative()) });
/**
 * At most one of: `before` (the page older than it), `after` (the page newer than it) and
 * `around` (the page centred on it, for a permalink or a reply's original: up to half older
 * and the rest newer). None: the latest page.
 */
export const historyQuery = z
  .object({
    before: z.optional(z.coerce.number().check(z.int(), z.positive())),
    after: z.optional(z.coerce.number().check(z.int(), z.nonnegative())),
    around: z.optional(z.coerce.number().check(z.int(), z.positive())),
    limit: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(LIMITS.historyMax)),
      LIMITS.historyDefault,
    ),
  })
  .check(
    z.refine((q) => [q.before, q.after, q.around].filter((v) => v !== undefined).length <= 1, {
      message: 'Give at most one of `before`, `after` and `around`',
      path: ['around'],
    }),
  );
/** `GET /api/rooms/:id/members`: members whose username starts with `q` (mention autocomplete). */
export const memberSearchQuery = z.object({
  q: z._default(z.string().check(z.maxLength(32)), ''),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(20)), 8),
});
export const userSearchQuery = z.object({
  prefix: z.string().check(z.minLength(1), z.maxLength(32)),
});
/** `GET /api/rooms`: `q` matches anywhere in the name, case-insensitively; `cursor` is a page's `nextCursor`. */
export const roomListQuery = z.object({
  q: z._default(z.string().check(z.maxLength(LIMITS.roomName.max)), ''),
  cursor: z.optional(z.string().check(z.maxLength(400))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
});
/** `GET /api/rooms/:id/online`: people online in a room by id, `after` a page's `nextCursor`. */
export const onlineListQuery = z.object({
  after: z._default(z.string().check(z.maxLength(64)), ''),
  limit: z._default(
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(LIMITS.presenceListed)),
    LIMITS.presenceListed,
  ),
});

/** The signed-in user, as `GET /api/me` returns it. */
export interface Me extends UserRef {
  username: string;
  email: string | null;
  /** The time zone the profile card shows local time in; null until set or reported. */
  timeZone: string | null;
  /** Sends and sees read receipts in DMs. */
  readReceipts: boolean;
  /** The session token, for clients that cannot use the cookie (the widget). */
  token?: string;
}

export { CHAT_KINDS, chatKind, type ChatKind, type RoomKind } from './chat-kind';
import type { ChatKind } from './chat-kind';

export interface RoomSummary {
  id: string;
  kind: ChatKind;
  name: string;
  topic: string | null;
  memberCount: number;
  onlineCount: number;
  lastActivityAt: number;
  member: boolean;
  /** Issue 12: read-only. (A private room says so by its `kind`.) */
  archived?: boolean;
  /** What the room is for, in its owner's words; absent when it has none. */
  description?: string;
}

/** One row of the signed-in user's chat list, newest activity first. */
export interface ChatListItem {
  id: string;
  kind: ChatKind;
  /** Room name, or the other person's name for a DM (the others', comma-separated, for a group). */
  name: string;
  topic: string | null;
  /** A room's description (its topic's longer companion); absent when it has none. */
  description?: string;
  /** The other person, for a DM of two; null for a group. */
  peer: UserRef | null;
  /** A group DM's other members, by username (src/shared/dm.ts); absent for other chats. */
  members?: UserRef[];
  lastSeq: number;
  readSeq: number;
  /**
   * A DM the user closed, at this seq (`PUT /api/chats/:id/closed`): kept out of the list
   * while `lastSeq` has not passed it. Absent: shown.
   */
  closedAt?: number;
  unread: number;
  /** Unread messages that mention you (`<@your id>`, or `<@here>` while you were online in it), at most 100. */
  mentions: number;
  /** Your notification level for this chat (its default until you pick one). */
  notify: NotifyLevel;
  lastActivityAt: number;
  last: Message | null;
}

export interface HistoryPage {
  messages: Message[];
  /** Pass as `before` to get the previous page; null at the start of the room. */
  nextBefore: number | null;
  /**
   * With `around` or `after`: pass as `after` to get the next newer page; null when this page
   * reaches the newest message. Absent for the latest page and `before` pages.
   */
  nextAfter?: number | null;
  /**
   * The room's latest event seq in the same snapshot as `messages`: open the socket with
   * `after=roomSeq` and the room replays exactly what this page does not show.
   */
  roomSeq: number;
  /** Joins, leaves and moderation actions between the page's messages (issue 12). */
  notices?: NoticeEvent[];
}
