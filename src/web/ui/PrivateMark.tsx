/**
 * Marks a private room: a lock, and the word for screen readers. It has its own `dir`, so a
 * `dir=auto` name around it still takes its direction from the name (the hidden word is
 * English).
 */
export const PrivateMark = () => (
  <span class="private-mark" data-testid="private-mark" dir="ltr">
    <svg viewBox="0 0 16 16" aria-hidden="true">
      <path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z" />
    </svg>
    <span class="visually-hidden">Private: </span>
  </span>
);
