/**
 * The small tag beside a name that says what kind of user it is: "guest" for an app guest,
 * "visitor" for someone chatting from a site's widget with only a name, and "via
 * shop.example" for a site's own user (`identify`), so that user never passes for a Parlor
 * account of the same name. Plain text, so screen readers read it with the name.
 */
import type { UserRef } from '../../shared/protocol';

/** The host of a widget user's site (`shop.example`), or null when unknown. */
export function siteHost(site: string | undefined): string | null {
  if (!site) return null;
  try {
    return new URL(site).host;
  } catch {
    return null;
  }
}

/** The tag's text and a longer description, or null for an account (no tag). */
export function userTag(user: UserRef): { text: string; long: string } | null {
  const host = siteHost(user.site);
  if (user.kind === 'identified') {
    const site = host ?? 'a site';
    return { text: `via ${site}`, long: `Signed in by ${site}; not a Parlor account` };
  }
  if (user.kind === 'visitor') {
    return {
      text: 'visitor',
      long: host ? `A visitor chatting from ${host}` : 'A visitor chatting from a website',
    };
  }
  if (user.guest) return { text: 'guest', long: 'A guest, without a password' };
  return null;
}

export function UserTag({ user }: { user: UserRef }) {
  const tag = userTag(user);
  if (!tag) return null;
  return (
    <span
      class={user.kind ? 'tag tag-widget' : 'tag'}
      title={tag.long}
      data-testid="user-tag"
      data-kind={user.kind ?? 'guest'}
    >
      {tag.text}
    </span>
  );
}
