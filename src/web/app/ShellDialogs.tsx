/**
 * Everything the signed-in screen opens over itself: the dialogs, the profile card and an
 * invitation. A chunk of its own (Shell loads it after the first paint), and each dialog in
 * it is again a chunk that loads the first time it opens.
 */
import type { Signal } from '@preact/signals';
import type { SidebarDialog } from '../chats/Sidebar';
import type { Conversation } from '../conversation/model';
import { openCard } from '../profile/card-state';
import { refOf } from '../profile/me';
import { jumpWhenOpen } from '../search/jump';
import { Dialog } from '../ui/Dialog';
import { lazy, toast } from '../ui/lazy';
import type { Store } from './store';

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
const MembersDialog = lazy(
  () => import('../rooms/MembersDialog').then((m) => m.MembersDialog),
  'The member list',
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

export type ShellDialog =
  | SidebarDialog
  | 'embed'
  | 'room'
  | 'pins'
  | 'shortcuts'
  | 'members'
  /** The members dialog with the name box focused: "Add people", or a room just made. */
  | 'add-people';

export interface ShellDialogsProps {
  store: Store;
  /** Which dialog is open; `null` on close. */
  dialog: Signal<ShellDialog | null>;
  conv: Conversation | null;
  /** Whether the card's person is online (the shell knows the presence lists). */
  online: (id: string) => boolean;
  meId: string;
}

export function ShellDialogs({ store, dialog, conv, online, meId }: ShellDialogsProps) {
  const close = () => (dialog.value = null);
  const card = openCard.value;
  return (
    <>
      {dialog.value === 'create' && store.directory.value && (
        <CreateRoomDialog
          directory={store.directory.value}
          onClose={close}
          // The room is open and empty: whom it is for is the next question (as in Slack).
          onCreated={() => (dialog.value = 'add-people')}
        />
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
      {(dialog.value === 'members' || dialog.value === 'add-people') && conv && (
        <MembersDialog
          conv={conv}
          adding={dialog.value === 'add-people'}
          online={online}
          onClose={close}
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
      {card && (
        <ProfileCard
          key={card.id}
          user={store.names.current(card)}
          api={store.api}
          meId={meId}
          online={online(card.id)}
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
    </>
  );
}
