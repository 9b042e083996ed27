/**
 * Who is here, in the two senses Parlor means (docs/protocol.md, "Presence"):
 * "Here" is everyone with this chat open (in the global room, everyone online: the first
 * 100 and the count); "Contacts online" is the people you have DMs with who have Parlor open
 * anywhere. While a socket is down its list is shown greyed and labelled as unknown, never
 * as if it were still true.
 */
import { threeColumns } from '../app/breakpoints';
import { useEffect, useRef } from 'preact/hooks';
import { shownName } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';
import { Avatar, PRESENCE_LABEL, presenceOf } from '../profile/Avatar';
import { PersonButton } from '../profile/PersonButton';
import { StatusLine } from '../profile/StatusLine';
import { UserTag } from '../profile/UserTag';

interface PeoplePanelProps {
  room: readonly UserRef[] | null;
  contacts: readonly UserRef[];
  /** Whether each list is live: its socket is open (or, for a visitor, just fetched). */
  roomKnown: boolean;
  contactsKnown: boolean;
  meId: string;
  onMessage?: (user: UserRef) => void;
  onClose?: () => void;
}

export function PeoplePanel(props: PeoplePanelProps) {
  const { room, contacts, meId, onMessage, onClose } = props;
  const closeButton = useRef<HTMLButtonElement>(null);
  // Below 1100px the panel is a drawer over the page (layout.css), covering its own toggle:
  // it takes the keyboard as it opens, Escape closes it, and focus goes back to the toggle.
  const drawer = () => !threeColumns();
  useEffect(() => {
    if (drawer()) closeButton.current?.focus();
  }, []);
  const close = () => {
    onClose?.();
    if (drawer()) document.querySelector<HTMLElement>('[data-testid="people-toggle"]')?.focus();
  };
  return (
    <aside
      class="people"
      id="people-panel"
      aria-label="People"
      onKeyDown={(e) => e.key === 'Escape' && onClose && close()}
    >
      {onClose && (
        <button
          ref={closeButton}
          type="button"
          class="icon-button people-close"
          data-testid="people-close"
          aria-label="Close people list"
          onClick={close}
        >
          ×
        </button>
      )}
      {room && (
        <UserList
          title="Here"
          hint="People with this chat open"
          testId="online-room"
          users={room}
          known={props.roomKnown}
          meId={meId}
          onMessage={onMessage}
        />
      )}
      <UserList
        title="Contacts online"
        hint="People you have direct messages with, with Parlor open"
        testId="online-contacts"
        users={contacts}
        known={props.contactsKnown}
        meId={meId}
        onMessage={onMessage}
      />
    </aside>
  );
}

interface UserListProps {
  title: string;
  hint: string;
  testId: string;
  users: readonly UserRef[];
  known: boolean;
  meId: string;
  onMessage?: (user: UserRef) => void;
}

function UserList({ title, hint, testId, users, known, meId, onMessage }: UserListProps) {
  const headingId = `${testId}-heading`;
  return (
    <section
      data-testid={testId}
      data-known={known}
      class={known ? undefined : 'unknown'}
      aria-labelledby={headingId}
    >
      <h3 id={headingId}>
        {title} <span class="count">{known ? users.length : '–'}</span>
      </h3>
      <p class="hint" data-testid={`${testId}-hint`}>
        {known ? hint : 'Not connected: who is here is unknown until we reconnect'}
      </p>
      <ul class="user-list" aria-hidden={!known}>
        {users.map((u) => (
          <li key={u.id} data-testid="online-user" data-user-id={u.id}>
            {/* Out of the tab order: the name just after it opens the same card. */}
            <PersonButton user={u} label={`${shownName(u)}: profile`} tabIndex={-1}>
              <Avatar user={u} size={28} presence={known ? presenceOf(u) : null} />
            </PersonButton>
            {/* The name opens the profile card, which has "Message" (onMessage). */}
            <span class="person-lines">
              <PersonButton user={u} class="link-button" testId="person-name">
                <bdi>{shownName(u)}</bdi>
                {known && u.presence && (
                  <span class="visually-hidden"> ({PRESENCE_LABEL[presenceOf(u)]})</span>
                )}
              </PersonButton>
              <StatusLine status={u.status} now={Date.now()} />
            </span>
            {u.id === meId && <span class="tag">you</span>}
            <UserTag user={u} />
          </li>
        ))}
      </ul>
    </section>
  );
}
