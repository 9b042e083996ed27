/**
 * The app's models, wired together: who is signed in, their chats, the open conversation,
 * the lobby socket, presence and notifications. Nothing here touches the DOM tree.
 */
import { computed, effect, signal, untracked } from '@preact/signals';
import type { ActivityFrame, LobbyFrame, Message, UserRef } from '../../shared/protocol';
import { createApi } from '../api/endpoints';
import { createHttp } from '../api/http';
import type { Directory } from '../chats/directory';
import { createChats } from '../chats/model';
import { mentionsMe } from '../chats/rows';
import { dmTitle } from '../chats/dm-names';
import { isGroupDm } from '../../shared/dm';
import { withNames } from '../../shared/mentions';
import { shownName } from '../../shared/profile';
import type { PeopleSearch } from '../chats/people';
import { connectLobby, type LobbySocket } from '../connection/lobby-socket';
import { createDrafts } from '../conversation/drafts';
import { messageLine } from '../conversation/unmark';
import { createConversation, type Conversation } from '../conversation/model';
import { createAnnouncer } from '../notifications/announcer';
import { createAttention } from '../notifications/attention';
import { loudUnread } from '../notifications/title';
import { createNotifications } from '../notifications/model';
import { createPresence } from '../presence/model';
import { createPeople } from '../presence/people';
import { createSession, type Session } from '../session/model';
import { createSettings } from '../settings/model';
import type { watchIdle } from '../profile/idle';
import { withRef } from '../profile/me';
import { blockedIds } from '../profile/blocked';
import { inviteTokenInAddress, type Invitation } from '../rooms/invite-link';
import { createRouter } from './router';
import { twoColumns } from './breakpoints';
import { rememberAutoZone, zoneToStore } from '../profile/auto-zone';

export function createStore() {
  const settings = createSettings();
  const router = createRouter();
  const open = (id: string | null) => router.open(id);
  let session: Session | undefined;
  const api = createApi(createHttp({ onSessionLost: () => session?.lost() }));
  session = createSession(api);
  const chats = createChats(api, () => router.roomId.value);
  const presence = createPresence();
  /** Current names and colours by user id, for every chat. */
  const names = createPeople((id) => api.user(id));
  const announcer = createAnnouncer();
  const notifications = createNotifications(settings, open);
  const attention = createAttention(api, chats);
  /** Public rooms to browse, create, join and leave: loaded the first time one is asked for. */
  const directory = signal<Directory | null>(null);
  let directoryLoad: Promise<Directory> | null = null;
  const loadDirectory = () =>
    (directoryLoad ??= import('../chats/directory').then(
      (m) => (directory.value = m.createDirectory(api, chats, open)),
    ));
  /** Finding people and opening DMs (chats/people.ts): loaded the first time it is needed. */
  const people = signal<PeopleSearch | null>(null);
  let peopleLoad: Promise<PeopleSearch> | null = null;
  const loadPeople = () =>
    (peopleLoad ??= import('../chats/people').then(
      (m) => (people.value = m.createPeopleSearch(api, chats, open)),
    ));
  /** Opens the DM with a person (a profile card, the people panel); says why if it cannot. */
  async function openDm(userId: string): Promise<boolean> {
    const search = await loadPeople();
    const ok = await search.openDm(userId);
    if (!ok) problem.value = search.error.peek();
    return ok;
  }
  const conversation = signal<Conversation | null>(null);
  /** Bumped to open the chat in the URL afresh (unbanned while it showed the chat as lost). */
  const reopened = signal(0);
  const lobby = signal<LobbySocket | null>(null);
  const drafts = createDrafts();
  const meId = computed(() => session.me.value?.id ?? null);
  const chatName = (id: string) => {
    const chat = chats.get(id);
    return (chat && dmTitle(chat, names.current)) ?? chat?.name ?? 'Parlor';
  };
  /** Opened at an invite link: followed once signed in. */
  let invite = inviteTokenInAddress();
  /** What went wrong outside any chat (an invite link, opening a DM), shown above it. */
  const problem = signal<string | null>(null);
  /** The room an invite link names, until the person says whether to join it. */
  const invitation = signal<Invitation | null>(null);
  const enterInvited = (roomId: string) => {
    void chats.refresh();
    router.open(roomId, true);
  };
  /** The person's answer to `invitation`: join (and open the room) or not. */
  function answerInvite(join: boolean) {
    const asked = invitation.peek();
    invitation.value = null;
    if (!asked) return;
    if (!join) return router.open(null, true);
    void import('../rooms/invite-follow')
      .then((m) => m.followInvite(api, asked.token, enterInvited))
      .then((why) => (problem.value = why));
  }
  // Everyone is in the global room; other rooms once joined. null until the list is in.
  const openMember = computed(() => {
    const id = router.roomId.value;
    if (!id || !chats.loaded.value) return null;
    return id === 'global' || chats.has(id);
  });

  function onActivity(frame: ActivityFrame) {
    const me = session!.me.peek();
    if (!me) return;
    const isOpen = conversation.peek()?.roomId === frame.roomId;
    const visible = document.visibilityState === 'visible';
    chats.applyActivity(frame, isOpen && visible, me.id);
    const mine = chats.has(frame.roomId) || frame.kind === 'dm';
    const ring = attention.rings(frame, me.id);
    // Nothing rings for one's own message or for someone one blocks.
    const from = frame.last?.author.id;
    const loud = !!from && from !== me.id && !blockedIds.peek().has(from);
    if (ring && mine && loud && frame.last && !(isOpen && visible)) {
      const author = shownName(names.current(frame.last.author));
      // As the chat list shows it: plain, on one line, names for mentions.
      const text = messageLine(frame.last.text, names.nameOf);
      // A pair's notice is named after its author; a group's and a room's after the chat.
      const where = frame.kind === 'dm' && !isGroupDm(frame.roomId) ? null : chatName(frame.roomId);
      const said = mentionsMe(frame, me.id) ? `mentioned you: ${text}` : text;
      notifications.notify(author, where, { ...frame.last, text: said });
      // What rings in another chat is read out too (the open chat's messages are, by onLive).
      if (!isOpen) announcer.announce(`${author}${where ? ` in ${where}` : ''}, ${said}`);
    }
  }

  function onLobbyFrame(frame: LobbyFrame) {
    switch (frame.type) {
      case 'activity':
        return onActivity(frame);
      case 'hello':
        names.update(frame.you, ...frame.online);
        return presence.reset(frame.online);
      case 'online':
        names.update(frame.user);
        return presence.online(frame.user);
      case 'offline':
        names.update(frame.user);
        return presence.offline(frame.user);
      case 'user':
        return renamed(frame.user);
      case 'notify_level':
        return chats.setLevel(frame.roomId, frame.level);
      case 'dnd':
        return attention.dndChanged(frame.until);
      // The read cursor moved in some tab, or the chat was lost: its row is read again.
      case 'chat':
        if (frame.unbanned) reopenIfLost(frame.roomId);
        return chats.reread(frame.roomId);
    }
  }

  /**
   * A ban ended. The open chat, if it is that one and its socket was closed for good (the
   * ban), opens afresh: a member again (the global room) or a visitor who may join.
   */
  function reopenIfLost(roomId: string) {
    const conv = conversation.peek();
    if (conv?.roomId === roomId && conv.connection.peek()?.closeReason.peek()) reopened.value += 1;
  }

  /** A person's name or colour changed (perhaps ours, in another tab): show it everywhere. */
  function renamed(user: UserRef) {
    names.update(user);
    presence.renamed(user);
    chats.renamed(user);
    const me = session!.me.peek();
    if (me?.id !== user.id) return;
    session!.me.value = withRef(me, user);
    // Another tab went away while someone is at this one: they are not away.
    if (user.presence === 'away' && idle?.isActive()) void api.reportPresence('active');
  }

  // Away after idle, reported to the server; the time zone the browser reports, until the
  // person saves one (auto-zone.ts).
  let idle: ReturnType<typeof watchIdle> | null = null;
  effect(() => {
    const userId = meId.value;
    if (!userId) return;
    return untracked(() => {
      const me = session!.me.peek()!;
      const zone = zoneToStore(me.id, me.timeZone);
      if (zone)
        api.updateProfile({ timeZone: zone }).then(
          (m) => {
            rememberAutoZone(m.id, zone);
            session!.me.value = m;
          },
          () => {},
        );
      if (me.presence === 'away') void api.reportPresence('active').catch(() => {});
      // Idle only counts after minutes: its watcher loads off the first screen's path.
      let gone = false;
      void import('../profile/idle').then(
        (m) => {
          if (!gone) idle = m.watchIdle((state) => void api.reportPresence(state).catch(() => {}));
        },
        () => {}, // not loaded: this tab never reports itself away
      );
      return () => {
        gone = true;
        idle?.dispose();
        idle = null;
      };
    });
  });

  // Signed in: the chat list and the lobby socket; signed out: nothing left behind.
  effect(() => {
    const userId = meId.value;
    if (!userId) return;
    return untracked(() => {
      void chats.refresh();
      void attention.load();
      // Off the first screen's path: who is blocked arrives a moment after the chat list.
      void import('../profile/blocked-api').then((m) => m.loadBlocked(api)).catch(() => {});
      if (invite) {
        const token = invite;
        invite = null;
        void import('../rooms/invite-follow')
          .then((m) => m.askInvite(api, token, enterInvited))
          .then((answer) => {
            if (typeof answer === 'string') problem.value = answer;
            else invitation.value = answer;
          });
      }
      const socket = connectLobby({
        onFrame: onLobbyFrame,
        onReconnect: () => void chats.refresh(),
        onFailing: () => void session!.recheck(),
      });
      lobby.value = socket;
      return () => {
        socket.close();
        lobby.value = null;
        chats.items.value = [];
        chats.loaded.value = false;
        presence.reset([]);
        attention.dispose();
        drafts.forget(userId);
        blockedIds.value = new Set();
      };
    });
  });

  // One conversation (and one room socket) for the chat in the URL.
  effect(() => {
    const id = meId.value ? router.roomId.value : null;
    void reopened.value;
    if (!id) return;
    return untracked(() => {
      const conv = createConversation({
        roomId: id,
        me: session!.me.value!,
        api,
        readSeq: chats.get(id)?.readSeq ?? 0,
        member: openMember,
        draft: drafts.get(session!.me.peek()!.id, id),
        openAt: router.seq.peek(),
        onLive: (m: Message) =>
          !blockedIds.peek().has(m.author.id) &&
          announcer.announce(
            `${shownName(names.current(m.author))}: ${withNames(m.text, names.nameOf) || 'sent a file'}`,
          ),
        onMessage: chats.noteMessage,
        // A rename or a privacy switch changes the chat's row: the list is fetched again.
        onModeration: chats.refresh,
        onRead: (seq, left) => chats.markRead(id, seq, left),
        onSocketFailing: () => void session!.recheck(),
        names,
      });
      conversation.value = conv;
      const userId = conv.me.id;
      const keepDraft = effect(() => drafts.set(userId, id, conv.draft.value));
      return () => {
        keepDraft();
        conv.dispose();
        conversation.value = null;
      };
    });
  });

  // A permalink to another message of the open chat (back/forward): show that one.
  effect(() => {
    const seq = router.seq.value;
    const conv = untracked(() => conversation.value);
    if (seq !== null && conv?.state.peek() === 'ready') void conv.jumpTo(seq);
  });

  // On a wide screen there is room for a conversation from the start: open the busiest one.
  effect(() => {
    if (router.roomId.value || !chats.loaded.value || !twoColumns()) {
      return;
    }
    const list = chats.sorted.value;
    const first = list.find((c) => c.kind === 'global') ?? list[0];
    if (first) untracked(() => router.open(first.id, true));
  });

  effect(() => {
    // Muted chats and plain messages in mentions-only chats stay out of the title.
    const { count: unread, mentioned } = loudUnread(chats.items.value);
    // "@" first: someone asked for you by name.
    document.title = unread ? `(${mentioned ? '@ ' : ''}${unread}) Parlor` : 'Parlor';
  });

  void session.load();

  return {
    api,
    settings,
    router,
    session,
    chats,
    presence,
    names,
    announcer,
    notifications,
    attention,
    directory,
    loadDirectory,
    people,
    loadPeople,
    openDm,
    conversation,
    lobby,
    problem,
    invitation,
    answerInvite,
  };
}

export type Store = ReturnType<typeof createStore>;
