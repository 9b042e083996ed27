/**
 * The widget's frame: the conversation once the visitor has a session, else the greeting and
 * a composer that asks for a name on the first send. Every state is one line, never a broken
 * layout; Escape anywhere in the frame (not taken by an editor) asks the host to close it.
 */
import { useEffect } from 'preact/hooks';
import { Conversation } from '../conversation/Conversation';
import { onMessageListKey } from '../conversation/message-keys';
import { LiveRegion } from '../notifications/LiveRegion';
import { lazy } from '../ui/lazy';
import type { WidgetStore } from './store';
import { VisitorComposer } from './VisitorComposer';
import { VisitorPreview } from './VisitorPreview';

// Loaded with the conversation, after the panel's first screen (its budget: docs/widget.md).
const WidgetPins = lazy(
  () => import('./WidgetPins').then((m) => m.WidgetPins),
  'the pinned messages',
  () => null,
);

export function Widget({ store }: { store: WidgetStore }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      onMessageListKey(e);
      // Escape in an open dialog (the pinned list, an image) closes that dialog only.
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) {
        return;
      }
      store.bridge.post({ type: 'escape' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  // Opened from the launcher (the loader focuses this frame), the keyboard goes on to the
  // composer rather than staying on the frame's page; a click in the frame keeps its own aim.
  useEffect(() => {
    let pointing = false;
    const down = () => {
      pointing = true;
      setTimeout(() => (pointing = false));
    };
    const onFocus = () => !pointing && toComposer();
    addEventListener('pointerdown', down, true);
    addEventListener('focus', onFocus);
    return () => {
      removeEventListener('pointerdown', down, true);
      removeEventListener('focus', onFocus);
    };
  }, []);

  const phase = store.phase.value;
  const status = store.session.status.value;
  const conv = store.conversation.value;
  // Opened for the first time, the frame had focus before its page had a composer.
  useEffect(() => {
    if (document.hasFocus()) toComposer();
  }, [phase, status, conv]);
  if (phase === 'no-host') {
    return (
      <p class="placeholder splash" role="status" data-testid="widget-state">
        Open this chat from the site that embeds it.
      </p>
    );
  }
  if (phase === 'connecting' || status === 'loading') {
    return (
      <p class="placeholder splash" role="status" data-testid="widget-state">
        Loading…
      </p>
    );
  }
  const notice = store.notice.value && (
    <p class="widget-notice" role="status" data-testid="widget-notice">
      {store.notice.value}
    </p>
  );
  return (
    <div class="widget">
      {store.switching.value ? (
        // The live region below stays, to say who they are once the account's chat opens.
        <p class="placeholder splash" role="status" data-testid="widget-state">
          Switching to your Parlor account…
        </p>
      ) : conv ? (
        <>
          <Conversation
            conv={conv}
            title={store.title.value}
            titleShown={store.titleShown.value}
            tools={<WidgetPins conv={conv} />}
          />
          {notice}
          {store.session.me.value?.kind === 'visitor' && (
            <p class="widget-account">
              You are chatting as a visitor.{' '}
              <button
                type="button"
                class="link-button"
                data-testid="widget-switch"
                onClick={store.chatAsAccount}
              >
                Use my Parlor account
              </button>
            </p>
          )}
        </>
      ) : (
        <section class="conversation" aria-labelledby="conversation-title">
          {store.titleShown.value ? (
            // The panel's bar shows the title: named for screen readers only.
            <h2 id="conversation-title" class="visually-hidden" dir="auto">
              {store.title.value}
            </h2>
          ) : (
            <header class="conversation-header">
              <div class="conversation-title">
                <h2 id="conversation-title" dir="auto">
                  {store.title.value}
                </h2>
              </div>
            </header>
          )}
          {store.preview.value && <VisitorPreview messages={store.preview.value} />}
          <div class="visitor-welcome">
            {store.greeting.value ? (
              <p dir="auto" data-testid="widget-greeting">
                {store.greeting.value}
              </p>
            ) : (
              // Without the site's greeting a new visitor still learns what happens next.
              <p class="hint" data-testid="widget-hello">
                Write to the people of {store.title.value} below. When you send, you choose the name
                they see.
              </p>
            )}
          </div>
          {notice}
          <VisitorComposer store={store} />
          <p class="widget-account">
            <button
              type="button"
              class="link-button"
              data-testid="widget-account"
              onClick={store.chatAsAccount}
            >
              Chat as your Parlor account
            </button>
          </p>
        </section>
      )}
      <LiveRegion announcer={store.announcer} />
    </div>
  );
}

/** Focus to the composer (either kind: both are #composer-input), if nothing in the page has it. */
function toComposer() {
  if (document.activeElement === document.body) document.getElementById('composer-input')?.focus();
}
