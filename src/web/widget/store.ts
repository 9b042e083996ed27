/**
 * The embeddable widget's models: one room, signed in with a token (a third-party iframe
 * does not get the session cookie), joined automatically once signed in.
 */
import { computed, effect, signal, untracked } from '@preact/signals';
import { createApi } from '../api/endpoints';
import { createHttp } from '../api/http';
import { createConversation, type Conversation } from '../conversation/model';
import { createAnnouncer } from '../notifications/announcer';
import { createSession, type Session } from '../session/model';
import { localTokenStore } from '../session/token';

export function createWidgetStore(roomId: string) {
  const tokens = localTokenStore();
  let session: Session | undefined;
  const api = createApi(
    createHttp({ token: tokens.get, onSessionLost: () => session?.lost() }),
    true,
  );
  session = createSession(api, tokens);
  const announcer = createAnnouncer();
  const member = signal<boolean | null>(null);
  const title = signal(roomId === 'global' ? 'Global' : 'Chat');
  const conversation = signal<Conversation | null>(null);
  const meId = computed(() => session.me.value?.id ?? null);

  async function join() {
    try {
      if (roomId !== 'global') await api.joinRoom(roomId);
      member.value = true;
    } catch {
      member.value = false;
    }
    const chat = await api.chats().then(
      (list) => list.find((c) => c.id === roomId),
      () => undefined,
    );
    if (chat) title.value = chat.name;
  }

  effect(() => {
    if (!meId.value) return;
    return untracked(() => {
      member.value = null;
      void join();
      const conv = createConversation({
        roomId,
        me: session!.me.value!,
        api,
        readSeq: 0,
        member,
        token: tokens.get(),
        onLive: (m) => announcer.announce(`${m.author.name}: ${m.text}`),
        onSocketFailing: () => void session!.recheck(),
      });
      conversation.value = conv;
      return () => {
        conv.dispose();
        conversation.value = null;
      };
    });
  });

  void session.load();

  return { session, announcer, title, conversation, join };
}

export type WidgetStore = ReturnType<typeof createWidgetStore>;
