/**
 * Brings a search result's message into view: once its chat is open and its latest page
 * loaded, the conversation's own `jumpTo` loads older pages until the message is there and
 * highlights it (or says it is too far back): the jump a permalink makes. The address stays
 * the chat's: the router opens a permalink only from the address bar, and setting its room
 * and seq together would leave to effect order which conversation jumps. Gives up if the
 * chat has not opened in time.
 */
import { effect, type ReadonlySignal } from '@preact/signals';
import type { Conversation } from '../conversation/model';

const GIVE_UP_MS = 15_000;

export function jumpWhenOpen(
  conversation: ReadonlySignal<Conversation | null>,
  roomId: string,
  seq: number,
): void {
  let jumped = false;
  const stop = effect(() => {
    const conv = conversation.value;
    if (jumped || !conv || conv.roomId !== roomId || conv.state.value !== 'ready') return;
    jumped = true;
    void conv.jumpTo(seq);
    // Not from inside the effect's own run.
    setTimeout(() => stop(), 0);
  });
  setTimeout(() => stop(), GIVE_UP_MS);
}
