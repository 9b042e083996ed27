/**
 * The embedded widget's models: one room, on a host page. The visitor's token is kept by the
 * host page's loader in the host's own storage and handed over in `init` (the frame keeps it
 * in memory only: its own storage is third-party and may be blocked or partitioned). A new
 * visitor reads the greeting and is asked for a name when they first send.
 */
import { batch, computed, effect, signal, untracked } from '@preact/signals';
import { createApi } from '../api/endpoints';
import { ApiError, createHttp } from '../api/http';
import { createConversation, type Conversation } from '../conversation/model';
import { createAnnouncer } from '../notifications/announcer';
import { createPeople } from '../presence/people';
import type { Message } from '../../shared/protocol';
import { withNames } from '../../shared/mentions';
import { shownName } from '../../shared/profile';
import { createSession, type Session } from '../session/model';
import type { TokenStore } from '../session/token';
import { openAccountPopup } from './account-popup';
import { createBridge } from './bridge';
import { switchToAccount } from './switch';

/** Where the frame stands before a conversation can show. */
export type WidgetPhase =
  /** Waiting for the host page's `init`. */
  | 'connecting'
  /** Not framed by a page it can talk to (opened on its own, or the referrer hidden). */
  | 'no-host'
  /** Ready: a visitor (signed in or not yet) can chat. */
  | 'ready';

export function createWidgetStore(roomId: string) {
  const bridge = createBridge();
  let token: string | null = null;
  const tokens: TokenStore = {
    get: () => token,
    set(next) {
      if (next === token) return;
      token = next;
      bridge.post({ type: 'session', token: next });
    },
  };
  let session: Session | undefined;
  const api = {
    ...createApi(createHttp({ token: tokens.get, onSessionLost: () => lost() }), true),
    // The `@` autocomplete's member search by name is not a widget session's to make
    // (src/worker/embed/scope.ts): asked, it is refused; not asked, it offers @here alone.
    members: () => Promise.resolve([]),
  };
  session = createSession(api, tokens);
  const announcer = createAnnouncer();
  const phase = signal<WidgetPhase>(bridge.host ? 'connecting' : 'no-host');
  const greeting = signal<string | null>(null);
  /** One line about the visitor's session (ended, expired), shown above the composer. */
  const notice = signal<string | null>(null);
  const title = signal('Chat');
  /** The loader's panel bar shows the title (launcher mode): the frame does not repeat it. */
  const titleShown = signal(false);
  const conversation = signal<Conversation | null>(null);
  const member = signal<boolean | null>(true);
  /** A visitor is becoming their account: their conversation is closed meanwhile. */
  const switching = signal(false);
  const meId = computed(() => session.me.value?.id ?? null);
  /** The first message of a new visitor, sent once their conversation is open. */
  let firstMessage: string | null = null;

  /**
   * A request was refused as from an ended session. It may answer one made with a token this
   * frame has since replaced (a visitor who switched to their account): only a refusal of the
   * token in use now ends the chat here.
   */
  function lost() {
    const was = token;
    if (!was || switching.value) return;
    void fetch('/api/me', { headers: { authorization: `Bearer ${was}` } }).then(async (res) => {
      if (res.status !== 401 || token !== was) return;
      // The site taken off the room's list (field `origin`): starting again would be refused.
      const body = (await res.json().catch(() => null)) as { error?: { field?: string } } | null;
      session!.lost();
      notice.value =
        body?.error?.field === 'origin'
          ? 'This website can no longer show this chat.'
          : 'Your chat session has ended. Send a message to start again.';
    }, Boolean);
  }

  // People known by id only (a mention's) are asked for, as in the app: not "@someone".
  const names = createPeople((id) => api.user(id));

  /**
   * What someone who has not written yet sees of the room: its latest messages (no session
   * is needed; asked once, when the frame knows nobody is signed in). Null until answered.
   */
  const preview = signal<readonly Message[] | null>(null);
  let previewAsked = false;
  effect(() => {
    const status = session!.status.value;
    // Asked again after a session ends (logout, lost): the room has moved on meanwhile.
    if (status === 'signed-in') previewAsked = false;
    if (status !== 'signed-out' || previewAsked || !bridge.host) return;
    previewAsked = true;
    api.visitorPreview(roomId, bridge.host).then(
      (messages) => (preview.value = messages),
      () => undefined, // the chat works without it: the visitor can still write
    );
  });

  effect(() => {
    if (!meId.value || switching.value) return;
    return untracked(() => {
      const conv = createConversation({
        roomId,
        me: session!.me.value!,
        api,
        readSeq: 0,
        member,
        token: tokens.get(),
        names,
        onLive: (m) => {
          const text = withNames(m.text, names.nameOf);
          announcer.announce(`${shownName(names.current(m.author))}: ${text || 'sent a file'}`);
          // The host page's event keeps its documented shape (docs/widget.md).
          bridge.post({ type: 'message', seq: m.seq, author: m.author.name, text: m.text });
        },
        onSocketFailing: () => void session!.recheck(),
      });
      conversation.value = conv;
      if (firstMessage) {
        conv.draft.value = firstMessage;
        if (conv.send(firstMessage)) conv.draft.value = '';
        firstMessage = null;
      }
      return () => {
        conv.dispose();
        conversation.value = null;
      };
    });
  });

  bridge.listen((message) => {
    if (message.type === 'theme' || message.type === 'init') {
      document.documentElement.dataset.theme = message.theme;
    }
    if (message.type === 'init') {
      greeting.value = message.greeting ?? null;
      if (message.title) title.value = message.title;
      titleShown.value = message.titleShown === true;
      token = message.token;
      phase.value = 'ready';
      void session!.load();
    }
    if (message.type === 'title') title.value = message.title;
    if (message.type === 'logout') logout();
  });
  bridge.post({ type: 'ready' });

  /** Makes the visitor (named now, on their first send) and sends their first message. */
  async function start(name: string, text: string): Promise<void> {
    if (!bridge.host) throw new ApiError(0, 'origin_not_allowed', 'This chat is not embedded');
    const user = await api.visitor({ room: roomId, origin: bridge.host, name });
    notice.value = null;
    firstMessage = text;
    session!.adopt(user);
  }

  /**
   * "Chat as your Parlor account" (or, for a visitor already chatting, "Use my Parlor
   * account"): Parlor's own popup asks the signed-in person and sends back a session for this
   * room and this site, which the host page keeps like a visitor's. A visitor's session is
   * ended on the server first (./switch.ts); cancelled or refused, nothing changes here.
   */
  function chatAsAccount() {
    if (!bridge.host) return;
    const visitor = session!.me.value?.kind === 'visitor' ? token : null;
    const opened = openAccountPopup(roomId, bridge.host, !!visitor, (next) => {
      notice.value = null;
      if (visitor && visitor === token) return void switchFrom(visitor, next);
      tokens.set(next);
      void session!.load().then(() => {
        if (!session!.me.value) notice.value = 'Could not sign you in here. Try again.';
      });
    });
    if (!opened) notice.value = 'Allow pop-ups for this site to chat as your Parlor account.';
  }

  /** The visitor's conversation closes first, so nothing of it reports the visitor's end. */
  async function switchFrom(visitor: string, next: string) {
    switching.value = true;
    const user = await switchToAccount(roomId, visitor, next).catch(() => null);
    // `Parlor('logout')` meanwhile: the person left; nothing to reopen.
    const adopt = user && token === visitor;
    // One step: the conversation reopens once, as the account (or as the visitor, refused).
    batch(() => {
      switching.value = false;
      if (adopt) session!.adopt({ ...user, token: next });
      else if (!user) notice.value = 'Could not switch to your account. You are still a visitor.';
    });
    if (adopt) announcer.announce(`You are chatting as ${user.name} now.`);
  }

  /** `Parlor('logout')`: the loader has revoked the token on the server; forget it here. */
  function logout() {
    session!.lost();
    notice.value = 'You have left the chat.';
  }

  return {
    session,
    announcer,
    phase,
    greeting,
    notice,
    title,
    titleShown,
    conversation,
    preview,
    switching,
    start,
    chatAsAccount,
    bridge,
  };
}

export type WidgetStore = ReturnType<typeof createWidgetStore>;
