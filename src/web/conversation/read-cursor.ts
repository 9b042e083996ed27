/**
 * The read cursor: advances as messages are actually seen, and is saved to the server at
 * most about once a second, so scrolling through a busy room is not a request per message.
 */
import { signal } from '@preact/signals';

const SAVE_DELAY_MS = 1000;

export interface ReadCursorOptions {
  initial: number;
  save: (seq: number) => Promise<void>;
  unreadAfter: (seq: number) => number;
  onRead: (seq: number, unreadLeft: number) => void;
}

export function createReadCursor(options: ReadCursorOptions) {
  const seq = signal(options.initial);
  let saved = options.initial;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function flush() {
    clearTimeout(timer);
    timer = undefined;
    if (seq.value <= saved) return;
    const target = seq.value;
    options.save(target).then(
      () => (saved = Math.max(saved, target)),
      () => undefined, // Next seen() tries again.
    );
  }

  return {
    seq,
    flush,
    seen(upTo: number) {
      if (upTo <= seq.value || document.visibilityState !== 'visible') return;
      seq.value = upTo;
      options.onRead(upTo, options.unreadAfter(upTo));
      timer ??= setTimeout(flush, SAVE_DELAY_MS);
    },
  };
}
