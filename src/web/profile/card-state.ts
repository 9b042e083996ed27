/**
 * Which profile card is open. One for the whole app: any name or avatar opens it (the
 * message list, the people panel, the chat list), and the shell shows it.
 */
import { signal } from '@preact/signals';
import type { UserRef } from '../../shared/protocol';

export const openCard = signal<UserRef | null>(null);

/** Whether this page shows cards at all (the app's shell does; the widget has none). */
export const cards = { shown: false };

/** Opens the card of `user` (their current record is looked up by the card itself). */
export function showProfile(user: UserRef): void {
  openCard.value = user;
}
