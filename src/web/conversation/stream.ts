/**
 * What the message list shows, in order: day dividers, runs of messages by one author,
 * join/leave notices, and the "new" line before the first unread message.
 */
import type { Message, UserRef } from '../../shared/protocol';
import type { Notice } from './model';

export type StreamItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: 'unread' }
  | { kind: 'notice'; key: string; notice: Notice }
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

  for (const m of messages) {
    while (n < notices.length && notices[n]!.at <= m.createdAt) {
      const notice = notices[n++]!;
      startDay(notice.at);
      items.push({ kind: 'notice', key: notice.key, notice });
      group = null;
    }
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
  for (const notice of notices.slice(n)) {
    startDay(notice.at);
    items.push({ kind: 'notice', key: notice.key, notice });
  }
  return items;
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
