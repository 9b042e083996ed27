/**
 * The chat's pinned messages in the panel: "Pinned (N)" in the conversation's header while
 * something is pinned, opening the app's pinned list (a chunk of its own, loaded on first
 * open, so the panel's budget does not carry it), where each message's "Show in chat"
 * closes the list and brings the message into view.
 */
import { useSignal } from '@preact/signals';
import type { Conversation } from '../conversation/model';
import { usePins } from '../pins/pins';
import { lazy, toast } from '../ui/lazy';

const PinsDialog = lazy(
  () => import('../pins/PinsDialog').then((m) => m.PinsDialog),
  'The pinned messages',
  toast,
);

export function WidgetPins({ conv }: { conv: Conversation }) {
  const open = useSignal(false);
  const count = usePins(conv, conv.api).pins?.length ?? 0;
  return (
    <>
      {count > 0 && (
        <button
          type="button"
          class="link-button"
          data-testid="pins-open"
          aria-haspopup="dialog"
          onClick={() => (open.value = true)}
        >
          Pinned ({count})
        </button>
      )}
      {open.value && (
        <PinsDialog conv={conv} http={conv.api} onClose={() => (open.value = false)} />
      )}
    </>
  );
}
