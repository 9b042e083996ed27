/**
 * A message that is only emoji (at most JUMBO_MAX, spaces between allowed) is shown large, as
 * Slack and Discord show one: a reaction said as a message reads as one. A `:shortcode:` counts
 * once its emoji is known (`known`).
 */
import { SHORTCODES } from '../emoji/load';

const EMOJI = new RegExp('\\p{RGI_Emoji}', 'gv');
export const JUMBO_MAX = 8;

/** Longer than this (UTF-16 units) is never eight emoji, however long their sequences. */
const JUMBO_CHARS = JUMBO_MAX * 40;

export function isJumbo(text: string, known: (shortcode: string) => boolean): boolean {
  if (text.length > JUMBO_CHARS) return false; // the common case: a message of words
  let count = 0;
  const rest = text
    .replace(EMOJI, () => {
      count += 1;
      return '';
    })
    .replace(SHORTCODES, (typed, name: string) => {
      if (!known(name)) return typed;
      count += 1;
      return '';
    });
  return count > 0 && count <= JUMBO_MAX && rest.trim() === '';
}
