/** A message on its way: pending until the room acknowledges it, or failed with a retry. */
import type { Outgoing } from './outbox';
import type { Conversation } from './model';

export function PendingItem({ conv, item }: { conv: Conversation; item: Outgoing }) {
  const failed = item.status === 'failed';
  return (
    <div
      class={`message ${item.status}`}
      data-testid="message"
      data-status={item.status}
      data-client-id={item.clientId}
      data-author-id={conv.me.id}
    >
      <p class="message-text" dir="auto" data-testid="message-text">
        {item.text}
      </p>
      {item.files.length > 0 && (
        <p class="message-status">
          With <bdi>{item.files.map((f) => f.name).join(', ')}</bdi>
        </p>
      )}
      <p class="message-status" role={failed ? 'alert' : undefined}>
        {failed ? `Not sent${item.error ? `: ${shown(item.error)}` : ''}` : 'Sending…'}
        {failed && (
          <>
            {' '}
            <button
              type="button"
              class="link-button"
              data-testid="retry-button"
              onClick={() => conv.retry(item.clientId)}
            >
              Retry
            </button>{' '}
            <button type="button" class="link-button" onClick={() => conv.discard(item.clientId)}>
              Discard
            </button>
          </>
        )}
      </p>
    </div>
  );
}

/** An error frame's message names its field first ("text: …"), which means nothing here. */
const shown = (error: string) => error.replace(/^text: /, '');
