/**
 * A chat's pinned messages as its pinned list and the widget's "Pinned (N)" read them: asked
 * for when shown and again after each pin or unpin the chat's socket reports.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { pinsResponse, type PinnedMessage } from '../../shared/pins';
import type { Http } from '../api/http';
import type { Conversation } from '../conversation/model';

export function usePins(conv: Conversation, http: Pick<Http, 'get'>) {
  const pins = useSignal<PinnedMessage[] | null>(null);
  const error = useSignal<string | null>(null);
  const seen = conv.pinsSeen.value;
  useEffect(() => {
    let current = true;
    // The list is D1's copy, a copy behind the notice that asked for it (about 100 ms).
    const wait = setTimeout(
      () =>
        http.get(`/api/rooms/${encodeURIComponent(conv.roomId)}/pins`, pinsResponse).then(
          (page) => {
            if (!current) return;
            pins.value = page.pins;
            error.value = null;
          },
          (err: Error) => current && (error.value = err.message),
        ),
      seen === 0 ? 0 : 300,
    );
    return () => {
      current = false;
      clearTimeout(wait);
    };
  }, [conv, seen]);
  return { pins: pins.value, error: error.value };
}
