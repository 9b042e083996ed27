/**
 * Names people and rooms are told apart by. Two names whose confusable skeletons (Unicode
 * TR39, section 4) are equal look alike on screen, so only one of them may exist: "Dee" in
 * Latin, "Dее" with Cyrillic е, "Ｄｅｅ" in fullwidth and "𝐃𝐞𝐞" in mathematical bold share
 * one skeleton. The mapping is the Unicode consortium's confusables.txt, as shipped by the
 * `unhomoglyph` package (data only; the algorithm is here). The table is ~100 KB: the
 * Worker imports this module; the client must not (it checks characters with
 * `name-chars.ts`, and the server decides similarity).
 */
import confusables from 'unhomoglyph/data.json';
import { withoutForbidden } from './name-chars';

export { codePointLabel, forbiddenCodePoint } from './name-chars';

const PROTOTYPE: Record<string, string | undefined> = confusables;

/**
 * Where confusables.txt's prototype is not what the letter looks like in the sans-serif
 * faces names are shown in: Cyrillic small palochka ӏ (U+04CF) is given `i`, but it has no
 * dot and reads as `l` ("аӏісе" passed as "alice", found by trying it).
 */
const LOOKS_LIKE: Record<string, string | undefined> = { '\u04CF': 'l' };

/** TR39 `skeleton(X)`: NFD, each code point replaced by its prototype, NFD again. */
function tr39Skeleton(text: string): string {
  let mapped = '';
  for (const char of text.normalize('NFD')) mapped += LOOKS_LIKE[char] ?? PROTOTYPE[char] ?? char;
  return mapped.normalize('NFD');
}

/**
 * The key names are compared under for look-alikes: the name without default-ignorable
 * code points and with runs of white space as one space, NFKC-folded (confusables.txt leaves compatibility forms such as fullwidth
 * Ｄ to NFKC), its TR39 skeleton, case-folded, and skeletonised again (folding can turn a
 * capital into a small letter that has a prototype of its own, e.g. Greek Ρ → ρ → p).
 * The skeleton is taken before folding as well, because folding first would part
 * look-alikes such as "Ill" and "lll" (capital I and small l share the prototype l).
 */
export function nameSkeleton(name: string): string {
  // Runs of spaces fold to one: HTML shows "Bobby  B" as "Bobby B".
  const visible = withoutForbidden(name.normalize('NFKC')).trim().replace(/\s+/gu, ' ');
  return tr39Skeleton(tr39Skeleton(visible).toLowerCase());
}
