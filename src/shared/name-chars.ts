/**
 * Code points no name may contain, kept apart from the confusables data (`names.ts`) so the
 * client can check room names and usernames without loading that table on its first screen.
 */

// Unicode's Default_Ignorable_Code_Point set and the fillers that render as nothing or as
// blank space: a name with one added looks exactly like the name without it.
//  U+00AD soft hyphen, U+034F combining grapheme joiner, U+061C Arabic letter mark,
//  U+115F U+1160 U+3164 U+FFA0 Hangul fillers, U+17B4 U+17B5 Khmer inherent vowels,
//  U+180B–U+180F Mongolian variation selectors and vowel separator, U+200B–U+200F zero
//  widths and direction marks, U+202A–U+202E bidi embeddings and overrides, U+2060–U+206F
//  word joiner, invisible operators and isolates, U+2800 braille blank, U+FE00–U+FE0F and
//  U+E0100–U+E01EF variation selectors, U+FEFF byte-order mark, U+FFF0–U+FFF8, U+1BCA0–U+1BCA3
//  shorthand controls, U+1D173–U+1D17A musical formatting, U+E0000–U+E0FFF tags.
const IGNORABLE =
  '\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200F\\u202A-\\u202E' +
  '\\u2060-\\u206F\\u2800\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF0-\\uFFF8' +
  '\\u{1BCA0}-\\u{1BCA3}\\u{1D173}-\\u{1D17A}\\u{E0000}-\\u{E0FFF}';

// Plus every control (Cc), format (Cf), private-use (Co), unassigned (Cn) and lone surrogate
// (Cs) code point, and every separator other than the plain space (U+0020): line and
// paragraph separators, no-break and ideographic spaces.
const FORBIDDEN = new RegExp(`[${IGNORABLE}\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Cs}\\p{Z}]`, 'u');
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'gu');

/**
 * The first code point a name may not contain, or null. Plain spaces (U+0020) pass here;
 * whether a kind of name allows them is its own schema's rule.
 */
export function forbiddenCodePoint(name: string): string | null {
  const found = name.replace(/ /g, 'a').match(FORBIDDEN);
  return found ? found[0] : null;
}

/** `U+034F`, for messages that must name a character the reader cannot see. */
export function codePointLabel(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The name with every forbidden code point (except plain spaces) removed. */
export function withoutForbidden(name: string): string {
  return name.replace(FORBIDDEN_ALL, (c) => (c === ' ' ? c : ''));
}

/**
 * Whether a message's text shows nothing: only spaces, line breaks, controls and invisible
 * code points (zero widths, bidi controls, fillers such as U+2800 or U+3164). A message of
 * `\u200b\u200b` would be an empty line that still counts as unread.
 */
export function isBlank(text: string): boolean {
  return withoutForbidden(text).trim() === '';
}

/**
 * Matches a run of more than `max` combining marks: stacked on one letter they paint over
 * the lines around it ("zalgo"). Built once per limit by its user (profiles, message frames).
 */
export function markRun(max: number): RegExp {
  return new RegExp(`\\p{M}{${max + 1},}`, 'u');
}

/** Combining marks in a row in any name (username, display name, room name). */
export const NAME_MARKS_IN_A_ROW = 4;
const NAME_MARK_RUN = markRun(NAME_MARKS_IN_A_ROW);

/** Whether a name stacks more combining marks on one letter than any script needs. */
export const stacksMarks = (name: string): boolean => NAME_MARK_RUN.test(name);

// One RGI emoji (with ZWJ sequences, skin tones, flags). Built from a string: the `v` flag is
// ES2024 syntax. Emoji are taken out before the invisible-character check, so the joiners and
// variation selectors inside a family or a flag emoji are not refused as invisible.
const ANY_EMOJI = new RegExp('\\p{RGI_Emoji}', 'gv');

/**
 * Why free text people show to others (a status, a display name, a room's topic or
 * description) cannot be used, or null: no control, format (bidi overrides, zero widths),
 * private-use, unassigned or invisible filler code point outside an emoji, line breaks only
 * where `lines` allows them; no run of more than `marks` combining marks. Right-to-left
 * scripts are fine: the client isolates such text (`<bdi>`, `dir=auto`), and the override
 * characters that could reorder what follows are exactly what is refused.
 */
export function freeTextProblem(
  what: string,
  text: string,
  { marks, lines = false }: { marks: number; lines?: boolean },
): string | null {
  const visible = text.replace(ANY_EMOJI, 'a');
  const forbidden = forbiddenCodePoint(lines ? visible.replace(/\n/g, 'a') : visible);
  if (forbidden) {
    return `${what} contains an invisible, filler or control character (${codePointLabel(forbidden)})`;
  }
  if (markRun(marks).test(text)) return `${what} stacks too many combining marks`;
  return null;
}
