/**
 * Following an invite link (invite-link.ts), off the first screen: loaded only when the app
 * was opened at one.
 */
import { ApiError } from '../api/http';
import type { Api } from '../api/endpoints';
import { acceptInvite, readInvite } from './api';
import type { Invitation } from './invite-link';

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
    const roomId = await acceptInvite(api, token);
    open(roomId);
    return null;
  } catch (err) {
    return err instanceof ApiError ? err.message : 'This invite link could not be followed';
  }
}
