/**
 * One row of the chat list, changed by what the lobby and the open chat report: plain data
 * (tests/unit/chat-list.test.ts), kept live by model.ts.
 */
import type { ChatListItem } from '../../shared/api';
import { messageLine } from '../conversation/unmark';
import type { ActivityFrame, Message, UserRef } from '../../shared/protocol';
import { siteHost } from '../../shared/user-mark';
import { blockedIds } from '../profile/blocked';

/**
 * Something happened in the chat. `seen`: the chat is open and visible, so it is not unread.
 * A notice older than what the row has changes nothing. Whether it mentions the user is the
 * hub's word (`mentionsYou`: it leaves out whom they block, as `GET /api/chats` does).
 */
export function withActivity(
  c: ChatListItem,
  frame: ActivityFrame,
  seen: boolean,
  meId: string,
): ChatListItem {
  if (frame.seq <= c.lastSeq) return c;
  const mine = frame.last?.author.id === meId;
  return {
    ...c,
    lastSeq: frame.seq,
    lastActivityAt: Math.max(c.lastActivityAt, frame.at),
    // An edit's notice quotes the edited message, which need not be the newest.
    last: newest(frame.last, c.last),
    unread: seen || mine ? c.unread : c.unread + frame.count,
    // One per notice that names you: exact again at the next /api/chats.
    mentions: seen || mine || !mentionsMe(frame, meId) ? c.mentions : c.mentions + 1,
    notify: frame.level ?? c.notify,
  };
}

/**
 * Whether the edits and deletes a notice reports can change this row: they reach past its
 * read cursor (unread and mention counts) or its preview. A change to an old message the
 * user has read changes nothing the list shows.
 */
export function changesRow(c: ChatListItem, frame: ActivityFrame): boolean {
  if (!frame.changed) return false;
  const seq = frame.changedSeq ?? Infinity;
  return seq > c.readSeq || seq >= (c.last?.seq ?? 0);
}

/**
 * A message of the open chat arrived (the chat moves to the top) or changed. `lastSeq` stays:
 * the lobby's notice for it, up to 250 ms later, is what counts it unread when the tab is in
 * the background, and a row already at its seq would ignore that notice.
 */
export function withMessage(c: ChatListItem, message: Message): ChatListItem {
  return {
    ...c,
    lastActivityAt: Math.max(c.lastActivityAt, message.createdAt),
    last: newest(message, c.last),
  };
}

/** The row's preview: `message` unless the one it has is newer (an edit of an old message). */
function newest<M extends { seq: number }>(message: M | null, last: M | null): M | null {
  return message && message.seq >= (last?.seq ?? 0) ? message : last;
}

/**
 * Whether the messages a notice covers mention `meId`: the hub says so per reader
 * (`mentionsYou`, which counts `@here` only for those who had the room open).
 */
export function mentionsMe(frame: ActivityFrame, meId: string): boolean {
  return frame.mentionsYou ?? (frame.mentioned ?? []).includes(meId);
}

/** A widget user's kind after their name, as UserTag shows it: never passes for an account. */
function widgetTag(u: UserRef): string {
  if (u.kind === 'identified') return ` (via ${siteHost(u.site)})`;
  return u.kind === 'visitor' ? ' (visitor)' : '';
}

/** The row's second line: who wrote the newest message (a widget user's kind too), and what. */
export function previewOf(
  chat: ChatListItem,
  meId: string,
  nameOf: (u: UserRef) => string,
  nameOfId: (id: string) => string,
): string {
  const last = chat.last;
  if (!last) return chat.topic ?? '';
  if (last.deleted) return 'Message deleted';
  // In a pair the other person is the chat's name; in a group, say who wrote.
  const who =
    last.author.id === meId
      ? 'You'
      : chat.kind === 'dm' && !chat.members
        ? ''
        : nameOf(last.author) + widgetTag(last.author);
  // Only a message with files may have no text. Someone the user blocks is folded here too.
  const text = blockedIds.value.has(last.author.id)
    ? 'A message from someone you blocked'
    : messageLine(last.text, nameOfId, true) || 'Sent a file';
  return who ? `${who}: ${text}` : text;
}
