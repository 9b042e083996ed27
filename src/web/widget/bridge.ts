/**
 * The frame's side of the host ↔ frame channel. The host is the frame's parent, whose origin
 * the browser names in `location.ancestorOrigins` (else the referrer); `frame-ancestors`
 * already limits it to the room's listed sites. Messages go to that origin only, never `*`,
 * and a message counts only if it comes from that very window (`event.source`) and origin and
 * parses as a host message: a page that opened or framed something else, another frame on the
 * host page, or a script posting from another origin is ignored.
 */
import { hostMessage, WIDGET_NS, type FrameMessage, type HostMessage } from '../../shared/embed';
import * as z from 'zod/mini';

type Outgoing = FrameMessage extends infer M ? (M extends unknown ? Omit<M, 'ns'> : never) : never;

export interface Bridge {
  /** The host page's origin, or null when the page is not framed by one it can name. */
  host: string | null;
  post(message: Outgoing): void;
  listen(handler: (message: HostMessage) => void): () => void;
}

function parentOrigin(): string | null {
  if (window.parent === window) return null;
  const named = location.ancestorOrigins?.[0];
  if (named && named !== 'null') return named;
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

export function createBridge(): Bridge {
  const host = parentOrigin();
  return {
    host,
    post(message) {
      if (host) window.parent.postMessage({ ...message, ns: WIDGET_NS }, host);
    },
    listen(handler) {
      const onMessage = (event: MessageEvent) => {
        if (!host || event.source !== window.parent || event.origin !== host) return;
        const parsed = z.safeParse(hostMessage, event.data);
        if (parsed.success) handler(parsed.data);
      };
      window.addEventListener('message', onMessage);
      return () => window.removeEventListener('message', onMessage);
    },
  };
}
