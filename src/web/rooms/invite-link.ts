/**
 * An invite link (`/invite/<token>`, issue 12): read from the address when the app starts;
 * once someone is signed in (a guest too) the app asks whether to join the room it names
 * (a link opened from anywhere must not join anyone silently), and the room is opened
 * (invite-follow.ts, loaded only then).
 */
const PATH = /^\/invite\/([A-Za-z0-9_-]{1,64})$/;

/** The token in the address, if the app was opened at an invite link. */
export function inviteTokenInAddress(): string | null {
  return PATH.exec(location.pathname)?.[1] ?? null;
}

export interface Invitation {
  token: string;
  room: { id: string; name: string };
}
