/** Who is here: in the open chat, and anywhere in Parlor. A name opens a direct chat. */
import type { UserRef } from '../../shared/protocol';
import { userColor } from '../ui/color';

interface PeoplePanelProps {
  room: readonly UserRef[] | null;
  everyone: readonly UserRef[];
  meId: string;
  onMessage?: (user: UserRef) => void;
  onClose?: () => void;
}

export function PeoplePanel({ room, everyone, meId, onMessage, onClose }: PeoplePanelProps) {
  return (
    <aside class="people" id="people-panel" aria-label="People online">
      {onClose && (
        <button
          type="button"
          class="icon-button people-close"
          aria-label="Close people list"
          onClick={onClose}
        >
          ×
        </button>
      )}
      {room && (
        <UserList
          title="In this chat"
          testId="online-room"
          users={room}
          meId={meId}
          onMessage={onMessage}
        />
      )}
      <UserList
        title="Online now"
        testId="online-global"
        users={everyone}
        meId={meId}
        onMessage={onMessage}
      />
    </aside>
  );
}

interface UserListProps {
  title: string;
  testId: string;
  users: readonly UserRef[];
  meId: string;
  onMessage?: (user: UserRef) => void;
}

function UserList({ title, testId, users, meId, onMessage }: UserListProps) {
  const headingId = `${testId}-heading`;
  return (
    <section data-testid={testId} aria-labelledby={headingId}>
      <h3 id={headingId}>
        {title} <span class="count">{users.length}</span>
      </h3>
      <ul class="user-list">
        {users.map((u) => (
          <li key={u.id} data-testid="online-user" data-user-id={u.id}>
            <span
              class="presence-dot"
              aria-hidden="true"
              style={{ background: userColor(u.color) }}
            />
            {onMessage && u.id !== meId ? (
              <button
                type="button"
                class="link-button"
                onClick={() => onMessage(u)}
                aria-label={`Message ${u.name}`}
              >
                <bdi>{u.name}</bdi>
              </button>
            ) : (
              <bdi>{u.name}</bdi>
            )}
            {u.id === meId && <span class="tag">you</span>}
            {u.guest && <span class="tag">guest</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
