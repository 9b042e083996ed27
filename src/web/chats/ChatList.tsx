/** The user's chats, newest activity first: unread badges, the open one marked. */
import type { ChatListItem } from '../../shared/api';
import type { UserRef } from '../../shared/protocol';
import { chatPath } from '../app/router';
import type { Presence } from '../presence/model';
import { Avatar, presenceOf } from '../profile/Avatar';
import { shownName } from '../../shared/profile';
import { PersonButton } from '../profile/PersonButton';
import { dmTitle } from './dm-names';
import { previewOf } from './rows';
import { GroupIcon } from './GroupIcon';
import { PrivateMark } from '../ui/PrivateMark';

interface ChatListProps {
  chats: readonly ChatListItem[];
  current: string | null;
  presence: Presence;
  /** The lobby socket is open: otherwise nobody is shown online (unknown, not present). */
  presenceKnown: boolean;
  /** A message author's current name, by id. */
  nameOf: (author: UserRef) => string;
  /** A name for a mentioned id. */
  nameOfId: (id: string) => string;
  /** A person as last heard of (name, avatar, away/DND), by id. */
  person: (user: UserRef) => UserRef;
  meId: string;
  onOpen: (id: string) => void;
}

export function ChatList(props: ChatListProps) {
  const { chats, current, presence, presenceKnown, meId, onOpen } = props;
  return (
    <ul class="chat-list" data-testid="chat-list" aria-label="Chats">
      {chats.map((chat) => (
        <li key={chat.id}>
          <a
            href={chatPath(chat.id)}
            class={`chat-item${chat.unread ? ' has-unread' : ''}`}
            data-testid="chat-item"
            data-room-id={chat.id}
            aria-current={chat.id === current ? 'page' : undefined}
            onClick={(e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              onOpen(chat.id);
            }}
          >
            {chat.members?.length ? (
              <GroupIcon members={chat.members.map(props.person)} />
            ) : chat.kind === 'private' ? (
              <span class="chat-icon">
                <PrivateMark />
              </span>
            ) : (
              <ChatIcon
                peer={chat.kind === 'dm' && chat.peer ? props.person(chat.peer) : null}
                online={presenceKnown && !!chat.peer && presence.has(chat.peer.id)}
              />
            )}
            {/* dir=auto on the element that truncates: a right-to-left name loses its end. */}
            <span class="chat-name" dir="auto">
              {dmTitle(chat, props.person) ?? chat.name}
            </span>
            <span class="chat-preview" dir="auto">
              {previewOf(chat, meId, props.nameOf, props.nameOfId)}
            </span>
            {chat.unread > 0 && (
              <span
                class={badgeClass(chat)}
                data-testid="unread-badge"
                data-level={chat.notify}
                aria-label={
                  `${chat.unread} unread` +
                  (chat.mentions > 0
                    ? `, ${chat.mentions} ${chat.mentions === 1 ? 'mention' : 'mentions'}`
                    : '') +
                  (chat.notify === 'none' ? ', muted' : '')
                }
              >
                {chat.mentions > 0 && (
                  <span data-testid="mention-badge" aria-hidden="true">
                    @{' '}
                  </span>
                )}
                {chat.unread > 99 ? '99+' : chat.unread}
              </span>
            )}
          </a>
          {/* A DM's avatar opens the person's card: laid over the row's icon, since a button
              cannot sit inside the row's link. Out of the tab order, like the message list's. */}
          {chat.kind === 'dm' && chat.peer && (
            <PersonButton
              user={props.person(chat.peer)}
              class="chat-avatar"
              testId="chat-avatar"
              label={`${shownName(props.person(chat.peer))}: profile`}
              tabIndex={-1}
            >
              {''}
            </PersonButton>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * Loud (accent) for what would ring: any unread at `all`, mentions at `mentions`; quiet
 * (grey) otherwise, and always in a muted chat. Unread is counted at every level.
 */
function badgeClass(chat: ChatListItem): string {
  if (chat.notify === 'none') return 'badge quiet';
  if (chat.mentions > 0) return 'badge mention-badge';
  return chat.notify === 'all' ? 'badge' : 'badge quiet';
}

function ChatIcon({ peer, online }: { peer: UserRef | null; online: boolean }) {
  if (!peer) {
    return (
      <span class="chat-icon" aria-hidden="true">
        #
      </span>
    );
  }
  return (
    <span class="chat-icon avatar">
      <Avatar user={peer} size={32} presence={online ? presenceOf(peer) : null} />
    </span>
  );
}
