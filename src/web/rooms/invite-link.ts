/**
 * An invite link (`/invite/<token>`, issue 12): read from the address when the app starts,
 * followed once someone is signed in (a guest too), and the room it joins is opened.
 */
import { ApiError } from '../api/http';
import type { Api } from '../api/endpoints';

const PATH = /^\/invite\/([A-Za-z0-9_-]{1,64})$/;

/** The token in the address, if the app was opened at an invite link. */
export function inviteTokenInAddress(): string | null {
  return PATH.exec(location.pathname)?.[1] ?? null;
}

export async function followInvite(
  api: Api,
  token: string,
  open: (roomId: string) => void,
): Promise<string | null> {
  try {
    const { acceptInvite } = await import('./api');
    const roomId = await acceptInvite(api, token);
    open(roomId);
    return null;
  } catch (err) {
    return err instanceof ApiError ? err.message : 'This invite link could not be followed';
  }
}
