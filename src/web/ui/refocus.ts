/**
 * Focus for when the focused item of a list went away (a pill, a pin): the item now in its
 * place, else the one before it, else `fallback`. Only if focus fell to <body> with it, so a
 * person who moved on in the meantime is not pulled back.
 */
export function refocusAt(items: ArrayLike<HTMLElement>, at: number, fallback: HTMLElement | null) {
  if (document.activeElement && document.activeElement !== document.body) return;
  (items[at] ?? items[at - 1] ?? fallback)?.focus();
}
