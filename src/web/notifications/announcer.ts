/** The text of the page's `aria-live` region: new messages read out by screen readers. */
import { signal } from '@preact/signals';

export function createAnnouncer() {
  const text = signal('');
  let clear: ReturnType<typeof setTimeout> | undefined;
  return {
    text,
    announce(message: string) {
      // Emptying first makes the same words announced twice in a row still count as a change.
      text.value = '';
      clearTimeout(clear);
      queueMicrotask(() => (text.value = message));
      clear = setTimeout(() => (text.value = ''), 5000);
    },
  };
}

export type Announcer = ReturnType<typeof createAnnouncer>;
