/** The signed-in screen: sidebar, the open conversation, and who is online. */
import { useComputed, useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { Sidebar, type SidebarDialog } from '../chats/Sidebar';
import { Conversation } from '../conversation/Conversation';
import { LiveRegion } from '../notifications/LiveRegion';
import { NotifyLevelMenu } from '../notifications/NotifyLevelMenu';
import { dmTitle } from '../chats/dm-names';
import { cards, openCard } from '../profile/card-state';
import { refOf } from '../profile/me';
import { jumpWhenOpen } from '../search/jump';
import { Dialog } from '../ui/Dialog';
import type { Store } from './store';
import { lazy, toast } from '../ui/lazy';

// Dialogs load the first time they open: none is needed to show the first screen.
const BrowseRoomsDialog = lazy(
  () => import('../chats/BrowseRoomsDialog').then((m) => m.BrowseRoomsDialog),
  'the room browser',
);
const CreateRoomDialog = lazy(
  () => import('../chats/CreateRoomDialog').then((m) => m.CreateRoomDialog),
  'the new room form',
);
const FindPeopleDialog = lazy(
  () => import('../chats/FindPeopleDialog').then((m) => m.FindPeopleDialog),
  'the people finder',
);
const EmbedDialog = lazy(
  () => import('../chats/EmbedDialog').then((m) => m.EmbedDialog),
  'the embedding settings',
);
const ProfileCard = lazy(
  () => import('../profile/ProfileCard').then((m) => m.ProfileCard),
  'the profile card',
);
const PeoplePanel = lazy(
  () => import('../presence/PeoplePanel').then((m) => m.PeoplePanel),
  'the people here',
);
const ClaimAccount = lazy(
  () => import('../session/ClaimAccount').then((m) => m.ClaimAccount),
  'the account form',
);
const SettingsDialog = lazy(
  () => import('../settings/SettingsDialog').then((m) => m.SettingsDialog),
  'the settings',
);
// These open over the page: nothing shows while they load.
const SearchDialog = lazy(
  () => import('../search/SearchDialog').then((m) => m.SearchDialog),
  'Search',
  toast,
);
const RoomSettingsDialog = lazy(
  () => import('../rooms/RoomSettingsDialog').then((m) => m.RoomSettingsDialog),
  'Room settings',
  toast,
);
const PinsDialog = lazy(
  () => import('../pins/PinsDialog').then((m) => m.PinsDialog),
  'The pinned messages',
  toast,
);
const InviteDialog = lazy(
  () => import('../rooms/InviteDialog').then((m) => m.InviteDialog),
  'The invitation',
  toast,
);
const ShortcutsDialog = lazy(
  () => import('./ShortcutsDialog').then((m) => m.ShortcutsDialog),
  'The keyboard shortcuts',
  toast,
);
const ProfileDialog = lazy(
  () => import('../profile/ProfileDialog').then((m) => m.ProfileDialog),
  'The profile editor',
  toast,
);

const wide = () => matchMedia('(min-width: 1100px)').matches;

// The shell shows the profile card (below): names and avatars are its buttons.
cards.shown = true;

export function Shell({ store }: { store: Store }) {
  const dialog = useSignal<SidebarDialog | 'embed' | 'room' | 'pins' | 'shortcuts' | null>(null);
  const showPeople = useSignal(wide());
  const close = () => (dialog.value = null);
  // Keyboard shortcuts (shortcuts.ts), loaded once the first screen is up.
  useEffect(() => {
    let stop: (() => void) | null = null;
    let gone = false;
    void import('./shortcuts').then((m) => {
      if (!gone) stop = m.installShortcuts(store, (d) => (dialog.value = d));
    });
    return () => {
      gone = true;
      stop?.();
    };
  }, []);
  const conv = store.conversation.value;
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

  return (
    <div
      class="shell"
      data-view={roomId ? 'chat' : 'list'}
      data-people={showPeople.value ? 'open' : 'closed'}
    >
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
            void store.openDm(u.id).then((ok) => ok && !wide() && (showPeople.value = false))
          }
        />
      )}
      {dialog.value === 'create' && store.directory.value && (
        <CreateRoomDialog directory={store.directory.value} onClose={close} />
      )}
      {dialog.value === 'browse' && store.directory.value && (
        <BrowseRoomsDialog
          directory={store.directory.value}
          onOpen={(id) => store.router.open(id)}
          onClose={close}
        />
      )}
      {dialog.value === 'search' && (
        <SearchDialog
          http={store.api}
          onOpen={(hit) => {
            store.router.open(hit.roomId);
            jumpWhenOpen(store.conversation, hit.roomId, hit.seq);
          }}
          onClose={close}
        />
      )}
      {dialog.value === 'people' && store.people.value && (
        <FindPeopleDialog people={store.people.value} onClose={close} />
      )}
      {dialog.value === 'shortcuts' && <ShortcutsDialog onClose={close} />}
      {store.invitation.value && (
        <InviteDialog invitation={store.invitation.value} onAnswer={store.answerInvite} />
      )}
      {dialog.value === 'pins' && conv && (
        <PinsDialog conv={conv} http={store.api} onClose={close} />
      )}
      {dialog.value === 'room' && conv && (
        <RoomSettingsDialog
          conv={conv}
          onClose={close}
          onDeleted={() => {
            close();
            void store.chats.refresh();
            store.router.open(null);
          }}
        />
      )}
      {dialog.value === 'embed' && conv && (
        <EmbedDialog api={store.api} roomId={conv.roomId} onClose={close} />
      )}
      {dialog.value === 'settings' && (
        <SettingsDialog
          settings={store.settings}
          notifications={store.notifications}
          account={{
            api: store.api,
            me: store.session.me.value!,
            onRenamed: (me) => {
              store.session.me.value = me;
              store.names.update(refOf(me));
            },
            onSignedOut: () => store.session.lost(),
          }}
          onClose={close}
        />
      )}
      {dialog.value === 'profile' && (
        <ProfileDialog
          api={store.api}
          me={store.session.me.value!}
          onSaved={(me) => {
            store.session.me.value = me;
            store.names.update(refOf(me));
          }}
          onClose={close}
        />
      )}
      {openCard.value && (
        <ProfileCard
          key={openCard.value.id}
          user={store.names.current(openCard.value)}
          api={store.api}
          meId={meId}
          online={
            store.presence.has(openCard.value.id) ||
            (conv?.online.value.some((u) => u.id === openCard.value!.id) ?? false)
          }
          onMessage={(u) => {
            openCard.value = null;
            void store.openDm(u.id);
          }}
          onClose={() => (openCard.value = null)}
        />
      )}
      {dialog.value === 'claim' && (
        <Dialog title="Keep this account" testId="claim" onClose={close}>
          <ClaimAccount session={store.session} onDone={close} />
        </Dialog>
      )}
      <LiveRegion announcer={store.announcer} />
    </div>
  );
}
