/** The emoji this browser used last (reactions and the composer), newest first, in localStorage. */
import * as z from 'zod/mini';
import { emoji } from '../../shared/protocol';

const KEY = 'parlor.emoji.recent';
const MAX = 24;
const stored = z.array(z.string());

export function recentEmoji(): string[] {
  try {
    const parsed = stored.safeParse(JSON.parse(localStorage.getItem(KEY) ?? '[]'));
    // Whatever a hand edit left there, only emoji come back.
    return parsed.success
      ? parsed.data.filter((e) => emoji.safeParse(e).success).slice(0, MAX)
      : [];
  } catch {
    return [];
  }
}

export function rememberEmoji(used: string): void {
  const next = [used, ...recentEmoji().filter((e) => e !== used)].slice(0, MAX);
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Storage disabled: nothing remembered.
  }
}
