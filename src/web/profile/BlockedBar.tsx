/** In place of the composer, in a pair's DM with someone the viewer blocks (loaded then). */
import { useSignal } from '@preact/signals';
import { setBlocked } from './blocked-api';
import type { Http } from '../api/http';

/** A pair's DM with someone the viewer blocks: nothing is sent either way until they unblock. */
export function BlockedBar({ http, peer }: { http: Pick<Http, 'send'>; peer: string }) {
  const failed = useSignal(false);
  return (
    <div class="join-bar" data-testid="blocked-bar" role="status">
      <span>
        {failed.value
          ? 'Could not unblock them. Try again.'
          : 'You blocked this person: neither of you can send messages here.'}
      </span>
      <button
        type="button"
        data-testid="unblock"
        onClick={() => {
          failed.value = false;
          setBlocked(http, peer, false).catch(() => (failed.value = true));
        }}
      >
        Unblock
      </button>
    </div>
  );
}
