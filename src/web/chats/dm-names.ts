/** What a DM is called where it is listed or open: the other people, by current name. */
import type { ChatListItem } from '../../shared/api';
import { isolated, shownName } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';

/**
 * A DM's title: the other person's shown name, or a group's members' ("Ana, Ben, Cy", each
 * name isolated: one written right to left keeps to itself); undefined for a room. `current`
 * gives a person as last heard of (renames, display names).
 */
export function dmTitle(
  chat: Pick<ChatListItem, 'kind' | 'peer' | 'members'>,
  current: (user: UserRef) => UserRef,
): string | undefined {
  if (chat.kind !== 'dm') return undefined;
  if (chat.members?.length) {
    return chat.members.map((m) => isolated(shownName(current(m)))).join(', ');
  }
  return chat.peer ? shownName(current(chat.peer)) : undefined;
}
