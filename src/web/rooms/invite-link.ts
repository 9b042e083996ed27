/**
 * An invite link (`/invite/<token>`, issue 12): read from the address when the app starts;
 * once someone is signed in (a guest too) the app asks whether to join the room it names
 * (a link opened from anywhere must not join anyone silently), and the room is opened.
 */
import { ApiError } from '../api/http';
import type { Api } from '../api/endpoints';

const PATH = /^\/invite\/([A-Za-z0-9_-]{1,64})$/;

/** The token in the address, if the app was opened at an invite link. */
export function inviteTokenInAddress(): string | null {
  return PATH.exec(location.pathname)?.[1] ?? null;
}

export interface Invitation {
  token: string;
  room: { id: string; name: string };
}

/**
 * What the link leads to: the room to ask about, or null when there is nothing to ask (the
 * person is a member already: the room was opened); a problem as the sentence to show.
 */
export async function askInvite(
  api: Api,
  token: string,
  open: (roomId: string) => void,
): Promise<Invitation | null | string> {
  try {
    const { readInvite } = await import('./api');
    const { room, member } = await readInvite(api, token);
    if (!member) return { token, room };
    open(room.id);
    return null;
  } catch (err) {
    return err instanceof ApiError ? err.message : 'This invite link could not be followed';
  }
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
