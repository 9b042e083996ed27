/**
 * A group DM's picture: two of its members' avatars overlapping, and how many people it has.
 * Decorative, like every avatar: the chat's name beside it lists the people.
 */
import type { UserRef } from '../../shared/protocol';
import { Avatar } from '../profile/Avatar';
import './group.css';

export function GroupIcon({ members }: { members: readonly UserRef[] }) {
  const [first, second] = members;
  return (
    <span class="chat-icon group-icon" aria-hidden="true" data-testid="group-icon">
      {first && <Avatar user={first} size={19} />}
      {second && <Avatar user={second} size={19} />}
      <span class="group-count">{members.length + 1}</span>
    </span>
  );
}
