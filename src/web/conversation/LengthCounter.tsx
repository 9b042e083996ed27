/**
 * How much of a message's length is left, shown near the limit, counted as the server counts:
 * code points, so an emoji is one character, not two (a textarea's `maxLength` counts UTF-16
 * units, and cut a message of emoji to half, or stopped all typing in one). Past the limit
 * the text stays whole (a paste is never cut short): the counter says by how much, and the
 * form's send or save waits until it fits (`fits`).
 */
import { codePoints, LIMITS } from '../../shared/limits';

/** Shown from this many characters on. */
const COUNTER_FROM = LIMITS.messageChars - 500;

/** Characters left before the limit; negative past it. */
export const charactersLeft = (text: string) => LIMITS.messageChars - codePoints(text);

export function LengthCounter({ text }: { text: string }) {
  if (text.length <= COUNTER_FROM) return null;
  const left = charactersLeft(text);
  return (
    <span class={left < 0 ? 'counter over' : 'counter'} aria-live="polite" data-testid="counter">
      {left < 0 ? `${-left} character${left < -1 ? 's' : ''} too long` : `${left} left`}
    </span>
  );
}
