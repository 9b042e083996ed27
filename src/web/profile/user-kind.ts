/** What the profile card says about a widget user, beside the tag (UserTag.tsx). */
import type { UserRef } from '../../shared/protocol';
import { siteHost } from '../../shared/user-mark';

export function kindLine(u: UserRef): string | null {
  if (u.kind === 'identified') return `Signed in by ${siteHost(u.site)}; not a Parlor account`;
  if (u.kind === 'visitor') return `A visitor chatting from ${siteHost(u.site)}`;
  return null;
}
