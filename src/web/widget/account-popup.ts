/**
 * The widget frame's side of "Chat as your Parlor account": it opens Parlor's own popup
 * (first-party, so the session cookie is sent there), which asks the person and posts back a
 * session for this room and this site. Only a message from that very popup window, at
 * Parlor's own origin, naming this frame's site, is taken; anything else is ignored.
 */
import * as z from 'zod/mini';
import { accountHandoff, handoffUrl } from '../../shared/widget-account';

let stopListening: (() => void) | null = null;

/** Opens the popup; false when the browser blocked it. */
export function openAccountPopup(
  roomId: string,
  host: string,
  /** A visitor already chatting: the popup says the visitor will end. */
  visitor: boolean,
  onToken: (token: string) => void,
): boolean {
  const popup = window.open(
    handoffUrl(roomId, host, visitor),
    'parlor-account',
    'popup,width=480,height=600',
  );
  if (!popup) return false;
  stopListening?.();
  const onMessage = (event: MessageEvent) => {
    if (event.source !== popup || event.origin !== location.origin) return;
    const parsed = z.safeParse(accountHandoff, event.data);
    if (!parsed.success || parsed.data.origin !== host) return;
    stopListening?.();
    onToken(parsed.data.token);
  };
  window.addEventListener('message', onMessage);
  stopListening = () => {
    window.removeEventListener('message', onMessage);
    stopListening = null;
  };
  return true;
}
