import { Conversation } from '../conversation/Conversation';
import { LiveRegion } from '../notifications/LiveRegion';
import { SignIn } from '../session/SignIn';
import type { WidgetStore } from './store';

export function Widget({ store }: { store: WidgetStore }) {
  const status = store.session.status.value;
  const conv = store.conversation.value;
  if (status === 'loading') return <p class="placeholder splash">Loading…</p>;
  if (status === 'signed-out' || !conv) return <SignIn session={store.session} initial="guest" />;
  return (
    <div class="widget">
      <Conversation
        conv={conv}
        title={store.title.value}
        onJoin={() => void store.join()}
        tools={
          <a class="link-button" href="/" target="_blank" rel="noopener">
            Open Parlor
          </a>
        }
      />
      <LiveRegion announcer={store.announcer} />
    </div>
  );
}
