/**
 * The small tag beside a name that says what kind of user it is: "guest" for an app guest,
 * "visitor" for someone chatting from a site's widget with only a name, and "via
 * shop.example" for a site's own user (`identify`), so that user never passes for a Parlor
 * account of the same name. Plain text, read by screen readers with the name. Kept tiny: it
 * is on the first screen (the profile card says more: kindLine in ./user-kind.ts).
 */
import type { UserRef } from '../../shared/protocol';
import { siteHost } from '../../shared/user-mark';

export function UserTag({ user: u }: { user: UserRef }) {
  const text =
    u.kind === 'identified' ? `via ${siteHost(u.site)}` : (u.kind ?? (u.guest && 'guest'));
  return text ? (
    <span class="tag" data-kind={u.kind ?? 'guest'}>
      {text}
    </span>
  ) : null;
}
