/**
 * Brings a search result's message into view once its chat shows it. Parlor has no
 * permalinks yet (`/c/ROOM/m/SEQ` and history `around=` are planned in issue 11), so this
 * can only find a message the chat loads on opening (its latest page): an older one leaves
 * the chat at its newest messages.
 */
const WAIT_MS = 4000;

export function revealMessage(seq: number): void {
  const started = performance.now();
  const find = () => document.querySelector<HTMLElement>(`.message[data-seq="${seq}"]`);
  const tick = () => {
    const el = find();
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.classList.add('search-found');
      setTimeout(() => el.classList.remove('search-found'), 2500);
      return;
    }
    if (performance.now() - started < WAIT_MS) setTimeout(tick, 100);
  };
  tick();
}
