/** The signed-in screen: sidebar, the open conversation, and who is online. */
import { useComputed, useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { Sidebar } from '../chats/Sidebar';
import { Conversation } from '../conversation/Conversation';
import { LiveRegion } from '../notifications/LiveRegion';
import { NotifyLevelMenu } from '../notifications/NotifyLevelMenu';
import { dmTitle } from '../chats/dm-names';
import { cards, openCard } from '../profile/card-state';
import type { Store } from './store';
import { lazy, toast } from '../ui/lazy';
import type { ShellDialog } from './ShellDialogs';
import { followMemberCount, memberCount } from '../rooms/member-count';
import { threeColumns } from './breakpoints';

// What opens over the page (dialogs, the profile card, an invitation) is a chunk of its own,
// fetched once the first screen is up; each dialog in it loads the first time it opens. If it
// cannot load, the toast says so for a while, then what was asked for is closed, so that the
// next open mounts it anew and tries again.
let closeAsked = () => {};
const ShellDialogs = lazy(
  () => import('./ShellDialogs').then((m) => m.ShellDialogs),
  'The dialog',
  (failed, what) => (failed ? <DialogsFailed what={what} /> : null),
);

function DialogsFailed({ what }: { what: string }) {
  useEffect(() => {
    const timer = setTimeout(() => closeAsked(), 6000);
    return () => clearTimeout(timer);
  }, []);
  return toast(true, what);
}
const PeoplePanel = lazy(
  () => import('../presence/PeoplePanel').then((m) => m.PeoplePanel),
  'the people here',
);

// The shell shows the profile card (ShellDialogs): names and avatars are its buttons.
cards.shown = true;

export function Shell({ store }: { store: Store }) {
  const dialog = useSignal<ShellDialog | null>(null);
  closeAsked = () => {
    dialog.value = null;
    openCard.value = null;
  };
  const showPeople = useSignal(threeColumns());
  // Keyboard shortcuts (shortcuts.ts), loaded once the first screen is up; then the dialogs'
  // chunk, so a first dialog waits for one download, not two (a failed one is tried again
  // when a dialog opens).
  useEffect(() => {
    let stop: (() => void) | null = null;
    let gone = false;
    // Ctrl+K or Ctrl+/ pressed before the module is in opens its dialog once it is (and
    // is not the browser's own shortcut meanwhile).
    let early: ShellDialog | null = null;
    const catchEarly = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || !['k', '/'].includes(e.key)) return;
      e.preventDefault();
      early = e.key === 'k' ? 'search' : 'shortcuts';
    };
    addEventListener('keydown', catchEarly);
    void import('./shortcuts')
      .then((m) => {
        if (gone) return;
        stop = m.installShortcuts(store, (d) => (dialog.value = d));
        if (early) dialog.value = early;
        import('./ShellDialogs').catch(() => {});
      })
      // Without the module (offline), the keys are the browser's again.
      .catch(() => {})
      .finally(() => removeEventListener('keydown', catchEarly));
    return () => {
      gone = true;
      removeEventListener('keydown', catchEarly);
      stop?.();
    };
  }, []);
  const conv = store.conversation.value;
  useEffect(() => (conv ? followMemberCount(conv) : undefined), [conv]);
  const roomId = store.router.roomId.value;
  // Primitives, so a new message in the list (a new array) does not re-render the shell.
  const chat = (roomId: string | null) => (roomId ? store.chats.get(roomId) : undefined);
  // The open chat's name as last known: a chat lost while open (banned, removed, deleted)
  // leaves the list but keeps its name on screen, not "Room".
  const named = useRef<{ id: string; name: string } | null>(null);
  const title = useComputed(() => {
    const id = store.router.roomId.value;
    const open = chat(id);
    // A DM is named after the other people, by their display names when they have them.
    const name = (open && dmTitle(open, store.names.current)) ?? open?.name;
    if (id && name) named.current = { id, name };
    return name ?? (named.current?.id === id ? named.current.name : undefined);
  });
  const topic = useComputed(() => chat(store.router.roomId.value)?.topic);
  const description = useComputed(() => chat(store.router.roomId.value)?.description);
  const kind = useComputed(() => chat(store.router.roomId.value)?.kind);
  const level = useComputed(() => chat(store.router.roomId.value)?.notify);
  const meId = store.session.me.value!.id;
  // Presence is only as good as its socket: while one is down, its list is unknown.
  const roomKnown = conv
    ? conv.connection.value?.state.value === 'open' ||
      (conv.member.value === false && conv.info.value !== null)
    : false;
  const contactsKnown = store.lobby.value?.state.value === 'open';
  const here = conv?.onlineCount.value ?? 0;
  const members = conv ? memberCount(conv) : null;

  return (
    <div
      class="shell"
      data-view={roomId ? 'chat' : 'list'}
      data-people={showPeople.value ? 'open' : 'closed'}
    >
      {roomId && (
        // The first Tab stop, past the sidebar's chats and buttons (WCAG 2.4.1): to the
        // composer, or the message list where there is none (not a member).
        <a
          class="skip-link"
          href="#composer-input"
          data-testid="skip-link"
          onClick={(e) => {
            e.preventDefault();
            (
              document.getElementById('composer-input') ??
              document.querySelector<HTMLElement>('[data-testid="message-list"]')
            )?.focus();
          }}
        >
          Skip to conversation
        </a>
      )}
      <Sidebar
        store={store}
        onDialog={(d) => {
          if (d === 'create' || d === 'browse') void store.loadDirectory();
          if (d === 'people') void store.loadPeople();
          dialog.value = d;
        }}
      />
      <main class="main">
        {store.problem.value && (
          <p class="problem" role="alert" data-testid="app-problem">
            {store.problem.value}{' '}
            <button type="button" class="link-button" onClick={() => (store.problem.value = null)}>
              Dismiss
            </button>
          </p>
        )}
        {conv ? (
          <Conversation
            key={conv.roomId}
            conv={conv}
            // The chat list's name follows renames live; a room not in it (a visitor's first
            // look) is named by the directory.
            title={
              title.value ?? conv.info.value?.name ?? (conv.roomId === 'global' ? 'Global' : 'Room')
            }
            topic={topic.value}
            description={description.value}
            isPrivate={kind.value === 'private'}
            onJoin={() => void store.loadDirectory().then((d) => d.join(conv.roomId))}
            back={
              <button
                type="button"
                class="icon-button back"
                aria-label="Back to chats"
                onClick={() => store.router.open(null)}
              >
                ←
              </button>
            }
            tools={
              <>
                <button
                  type="button"
                  class="people-toggle"
                  data-testid="people-toggle"
                  aria-controls="people-panel"
                  aria-expanded={showPeople.value}
                  aria-label={
                    roomKnown
                      ? `Here: ${here} ${here === 1 ? 'person has' : 'people have'} this chat open`
                      : 'Here: unknown while not connected'
                  }
                  onClick={() => (showPeople.value = !showPeople.value)}
                >
                  Here <span class="count">{roomKnown ? here : '–'}</span>
                </button>
                {/* Rooms only: a DM is named after its people, and everyone is in the global room. */}
                {members !== null && (
                  <button
                    type="button"
                    class="link-button"
                    data-testid="members-open"
                    aria-label={`Members: ${members} in this room`}
                    onClick={() => (dialog.value = 'members')}
                  >
                    Members <span class="count">{members}</span>
                  </button>
                )}
                {members !== null && conv.room.moderates.value && (
                  <button
                    type="button"
                    class="link-button"
                    data-testid="add-people"
                    onClick={() => (dialog.value = 'add-people')}
                  >
                    Add people
                  </button>
                )}
                <button
                  type="button"
                  class="link-button"
                  data-testid="pins-open"
                  onClick={() => (dialog.value = 'pins')}
                >
                  Pinned
                </button>
                {level.value && (
                  <NotifyLevelMenu
                    attention={store.attention}
                    roomId={conv.roomId}
                    level={level.value}
                  />
                )}
                {conv.room.moderates.value && (
                  <button
                    type="button"
                    class="link-button"
                    data-testid="room-settings-open"
                    onClick={() => (dialog.value = 'room')}
                  >
                    Settings
                  </button>
                )}
                {/* Only the owner can say where a room is embedded (the server rules so). */}
                {kind.value === 'public' && conv.room.isOwner.value && (
                  <button
                    type="button"
                    class="link-button"
                    data-testid="embed-room"
                    onClick={() => (dialog.value = 'embed')}
                  >
                    Embed
                  </button>
                )}
                {/* A DM is closed, not left: out of the list until someone writes again. */}
                {kind.value === 'dm' && (
                  <button
                    type="button"
                    class="link-button"
                    data-testid="close-chat"
                    title="Take it off your list until someone writes again"
                    onClick={() =>
                      void store.chats.close(conv.roomId).then(
                        () => store.router.open(null),
                        (err: Error) => (conv.problem.value = err.message),
                      )
                    }
                  >
                    Close chat
                  </button>
                )}
                {/* The owner cannot leave (the server refuses): they transfer or delete instead. */}
                {(kind.value === 'public' || kind.value === 'private') &&
                  !conv.room.isOwner.value && (
                    <button
                      type="button"
                      class="link-button"
                      data-testid="leave-room"
                      onClick={() => {
                        if (!confirm(`Leave ${title.value}?`)) return;
                        void store
                          .loadDirectory()
                          .then((d) => d.leave(conv.roomId))
                          .then(
                            () => store.router.open(null),
                            (err: Error) => (conv.problem.value = err.message),
                          );
                      }}
                    >
                      Leave
                    </button>
                  )}
              </>
            }
          />
        ) : (
          <p class="placeholder empty">Pick a chat on the left, or start one.</p>
        )}
      </main>
      {showPeople.value && (
        <PeoplePanel
          room={conv?.online.value ?? null}
          contacts={store.presence.users.value}
          roomKnown={roomKnown}
          contactsKnown={contactsKnown}
          meId={meId}
          onClose={() => (showPeople.value = false)}
          onMessage={(u) =>
            void store
              .openDm(u.id)
              .then((ok) => ok && !threeColumns() && (showPeople.value = false))
          }
        />
      )}
      {(dialog.value || store.invitation.value || openCard.value) && (
        <ShellDialogs
          store={store}
          dialog={dialog}
          conv={conv}
          meId={meId}
          online={(id) =>
            store.presence.has(id) || (conv?.online.value.some((u) => u.id === id) ?? false)
          }
        />
      )}
      <LiveRegion announcer={store.announcer} />
    </div>
  );
}
