/**
 * The time zone Parlor stores for someone who never chose one: the browser's, at sign-in
 * (store.ts). The browser remembers, per person, the zone it stored that way, so that zone
 * follows the device (a first sign-in on a machine set to UTC, a trip) until the person
 * saves one in their profile; a zone they saved, or one set on another device, stays.
 */
const key = (userId: string) => `parlor:auto-zone:${userId}`;

export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The zone to store for `userId` now, whose stored zone is `stored`; null to leave it. */
export function zoneToStore(userId: string, stored: string | null): string | null {
  const zone = browserZone();
  if (!zone || zone === stored) return null;
  if (stored === null) return zone;
  try {
    return localStorage.getItem(key(userId)) === stored ? zone : null;
  } catch {
    return null; // storage refused: a zone we cannot tell from a chosen one stays
  }
}

/** `zone` was stored for `userId` without them choosing it; null: they chose theirs. */
export function rememberAutoZone(userId: string, zone: string | null): void {
  try {
    if (zone) localStorage.setItem(key(userId), zone);
    else localStorage.removeItem(key(userId));
  } catch {
    // Not kept: the zone stays as it is on the next sign-in.
  }
}
