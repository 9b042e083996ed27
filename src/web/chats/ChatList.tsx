/** The user's chats, newest activity first: unread badges, the open one marked. */
import { withNames } from '../../shared/mentions';
import type { ChatListItem } from '../../shared/api';
import type { UserRef } from '../../shared/protocol';
import { chatPath } from '../app/router';
import type { Presence } from '../presence/model';
import { avatarColor } from '../ui/color';

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
            <ChatIcon
              chat={chat}
              online={presenceKnown && !!chat.peer && presence.has(chat.peer.id)}
            />
            {/* dir=auto on the element that truncates: a right-to-left name loses its end. */}
            <span class="chat-name" dir="auto">
              {chat.name}
            </span>
            <span class="chat-preview" dir="auto">
              {preview(chat, meId, props.nameOf, props.nameOfId)}
            </span>
            {chat.unread > 0 && (
              <span
                class={chat.mentions > 0 ? 'badge mention-badge' : 'badge'}
                data-testid="unread-badge"
                aria-label={
                  `${chat.unread} unread` +
                  (chat.mentions > 0
                    ? `, ${chat.mentions} ${chat.mentions === 1 ? 'mention' : 'mentions'}`
                    : '')
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
        </li>
      ))}
    </ul>
  );
}

function ChatIcon({ chat, online }: { chat: ChatListItem; online: boolean }) {
  if (chat.kind !== 'dm' || !chat.peer) {
    return (
      <span class="chat-icon" aria-hidden="true">
        #
      </span>
    );
  }
  return (
    <span
      class="chat-icon avatar"
      aria-hidden="true"
      style={{ background: avatarColor(chat.peer) }}
    >
      {[...chat.peer.name][0]?.toUpperCase()}
      {online && <span class="online-dot" />}
    </span>
  );
}

function preview(
  chat: ChatListItem,
  meId: string,
  nameOf: (u: UserRef) => string,
  nameOfId: (id: string) => string,
): string {
  const last = chat.last;
  if (!last) return chat.topic ?? '';
  if (last.deleted) return 'Message deleted';
  const who = last.author.id === meId ? 'You' : chat.kind === 'dm' ? '' : nameOf(last.author);
  // Only a message with files may have no text.
  const text = withNames(last.text, nameOfId) || 'Sent a file';
  return who ? `${who}: ${text}` : text;
}
