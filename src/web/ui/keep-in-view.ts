/**
 * Moves a panel placed against its button (`position: absolute`, `right: 0`) sideways so
 * all of it is on screen: a button near the left edge of a phone, or of the widget's narrow
 * frame, would otherwise open it past that edge, its first choices out of reach.
 */
const MARGIN_PX = 8;

export function keepInView(panel: HTMLElement | null): void {
  if (!panel) return;
  panel.style.translate = '';
  const { left, right } = panel.getBoundingClientRect();
  const width = document.documentElement.clientWidth;
  // Past the left edge: move right (its left edge wins when it is wider than the view).
  const shift =
    left < MARGIN_PX
      ? MARGIN_PX - left
      : right > width - MARGIN_PX
        ? Math.max(MARGIN_PX - left, width - MARGIN_PX - right)
        : 0;
  if (shift) panel.style.translate = `${Math.round(shift)}px 0`;
}
