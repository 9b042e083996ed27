import type { ComponentChildren } from 'preact';

/**
 * The address names no chat the reader can open: no room (mistyped, or one that never
 * existed), or with `why` one that is private to others (the server's sentence).
 */
export function NoSuchRoom({ back, why }: { back?: ComponentChildren; why?: string }) {
  return (
    <section class="conversation" data-testid="no-such-room" aria-labelledby="conversation-title">
      <header class="conversation-header">
        {back}
        <div class="conversation-title">
          <h2 id="conversation-title">{why ? 'Private conversation' : 'No such room'}</h2>
        </div>
      </header>
      <div class="placeholder no-such-room">
        <p data-testid={why ? 'conversation-error' : undefined}>
          {why ??
            'There is no room at this address. The link may be mistyped, or the room never existed.'}
        </p>
        {back && (
          <p>
            <a href="/">Back to your chats</a>
          </p>
        )}
      </div>
    </section>
  );
}
