/** Who is typing in the open chat: each notice holds for a little longer than the send interval. */
import { shownName } from '../../shared/profile';
import { computed, signal } from '@preact/signals';
import { LIMITS } from '../../shared/limits';
import type { UserRef } from '../../shared/protocol';

const HOLD_MS = LIMITS.typingIntervalMs * 2;

export function createTyping() {
  const until = signal<ReadonlyMap<string, { user: UserRef; until: number }>>(new Map());
  const users = computed(() => [...until.value.values()].map((t) => t.user));
  let timer: ReturnType<typeof setInterval> | undefined;

  function prune() {
    const now = Date.now();
    const next = new Map([...until.value].filter(([, t]) => t.until > now));
    if (next.size !== until.value.size) until.value = next;
    if (!next.size) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    users,
    typing(user: UserRef) {
      until.value = new Map(until.value).set(user.id, { user, until: Date.now() + HOLD_MS });
      timer ??= setInterval(prune, 500);
    },
    /** Their message arrived: they are done typing it. */
    stopped(userId: string) {
      if (!until.value.has(userId)) return;
      const next = new Map(until.value);
      next.delete(userId);
      until.value = next;
    },
    dispose: () => clearInterval(timer),
  };
}

/**
 * Telling the room we are typing: at most once per interval the room forwards, and once
 * more at the end of an interval that swallowed keystrokes, so a short burst right after
 * a send still shows.
 */
export function createTypingNotifier(send: () => boolean, stillTyping: () => boolean) {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  function fire() {
    timer = undefined;
    if (stillTyping() && send()) last = Date.now();
  }
  return {
    typed() {
      const wait = last + LIMITS.typingIntervalMs - Date.now();
      // 100 ms of slack so the room's own interval check has surely passed.
      if (wait <= 0) fire();
      else timer ??= setTimeout(fire, wait + 100);
    },
    dispose: () => clearTimeout(timer),
  };
}

/** "Ada is typing…", "Ada and Bo are typing…", "Several people are typing…". */
export function typingText(users: readonly UserRef[]): string {
  if (users.length === 0) return '';
  if (users.length === 1) return `${shownName(users[0]!)} is typing…`;
  if (users.length === 2) return `${shownName(users[0]!)} and ${shownName(users[1]!)} are typing…`;
  return 'Several people are typing…';
}
