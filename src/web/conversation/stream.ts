/**
 * What the message list shows, in order: day dividers, runs of messages by one author,
 * notices (joins, leaves, moderation) at their seq, runs of two or more joins and leaves
 * collapsed into one line, and the "new" line before the first unread message.
 */
import type { Message, UserRef } from '../../shared/protocol';
import type { RoomNotice } from '../../shared/moderation';

/** A join, leave or moderation action, at its place (`seq`) in the room's order. */
export interface Notice {
  key: string;
  seq: number;
  notice: RoomNotice;
}

export type StreamItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: 'unread' }
  | { kind: 'notice'; key: string; notice: Notice }
  | { kind: 'notices'; key: string; notices: Notice[] }
  | { kind: 'group'; key: string; author: UserRef; messages: Message[] };

// A pause this long starts a new group even from the same author.
const GROUP_GAP_MS = 5 * 60_000;

export function buildStream(
  messages: readonly Message[],
  notices: readonly Notice[],
  unreadAfter: number,
  meId: string,
): StreamItem[] {
  const items: StreamItem[] = [];
  let day = '';
  let group: Extract<StreamItem, { kind: 'group' }> | null = null;
  let unreadPlaced = false;
  let n = 0;

  const startDay = (at: number) => {
    const key = dayKey(at);
    if (key === day) return;
    day = key;
    group = null;
    items.push({ kind: 'day', key: `day:${key}`, label: dayLabel(at) });
  };

  const putNotice = (notice: Notice) => {
    startDay(notice.notice.at);
    group = null;
    const last = items[items.length - 1];
    if (!isMembership(notice)) return void items.push({ kind: 'notice', key: notice.key, notice });
    if (last?.kind === 'notices') return void last.notices.push(notice);
    if (last?.kind === 'notice' && isMembership(last.notice)) {
      items[items.length - 1] = { kind: 'notices', key: last.key, notices: [last.notice, notice] };
      return;
    }
    items.push({ kind: 'notice', key: notice.key, notice });
  };

  for (const m of messages) {
    while (n < notices.length && notices[n]!.seq < m.seq) putNotice(notices[n++]!);
    startDay(m.createdAt);
    if (!unreadPlaced && unreadAfter > 0 && m.seq > unreadAfter && m.author.id !== meId) {
      unreadPlaced = true;
      items.push({ kind: 'unread', key: 'unread' });
      group = null;
    }
    const last: Message | undefined = group?.messages[group.messages.length - 1];
    if (
      group &&
      last &&
      group.author.id === m.author.id &&
      m.createdAt - last.createdAt < GROUP_GAP_MS
    ) {
      group.messages.push(m);
    } else {
      group = { kind: 'group', key: `g:${m.seq}`, author: m.author, messages: [m] };
      items.push(group);
    }
  }
  for (const notice of notices.slice(n)) putNotice(notice);
  return items;
}

function isMembership(n: Notice): boolean {
  return n.notice.kind === 'joined' || n.notice.kind === 'left';
}

function dayKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
});
const yearFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

export function dayLabel(at: number, now = Date.now()): string {
  const key = dayKey(at);
  if (key === dayKey(now)) return 'Today';
  if (key === dayKey(now - 86_400_000)) return 'Yesterday';
  return new Date(at).getFullYear() === new Date(now).getFullYear()
    ? dayFormat.format(at)
    : yearFormat.format(at);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

export const formatTime = (at: number) => timeFormat.format(at);
export const formatFull = (at: number) => fullFormat.format(at);
