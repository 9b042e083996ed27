/**
 * A chat's pinned messages, the latest pin first: each with its author, time and text, a
 * button that shows it in the chat, and Unpin for those who may. Read when opened and again
 * after each pin or unpin the chat's socket reports.
 */
import { useEffect, useRef } from 'preact/hooks';
import { blockedIds } from '../profile/blocked';
import { shownName } from '../../shared/profile';
import type { Conversation } from '../conversation/model';
import { withNames } from '../../shared/mentions';
import { formatFull } from '../conversation/stream';
import { Dialog } from '../ui/Dialog';
import { refocusAt } from '../ui/refocus';
import type { Http } from '../api/http';
import { usePins } from './pins';
import './pins.css';

interface PinsDialogProps {
  conv: Conversation;
  http: Pick<Http, 'get'>;
  onClose: () => void;
}

export function PinsDialog({ conv, http, onClose }: PinsDialogProps) {
  const { pins: list, error } = usePins(conv, http);
  // An unpinned message leaves the list (and its Unpin, which had focus) when it is read
  // again: focus goes to the Unpin now in its place or the one before, else Close.
  const leaving = useRef<{ seq: number; at: number } | null>(null);
  useEffect(() => {
    const gone = leaving.current;
    if (!gone || !list || list.some((p) => p.message.seq === gone.seq)) return;
    leaving.current = null;
    const dialog = document.querySelector('[data-testid=pins-dialog]');
    const unpins = dialog?.querySelectorAll<HTMLElement>('[data-testid=pin-unpin]') ?? [];
    refocusAt(unpins, gone.at, dialog?.querySelector('.dialog-header button') ?? null);
  });

  function show(seq: number) {
    onClose();
    void conv.jumpTo(seq);
  }

  return (
    <Dialog title="Pinned messages" testId="pins-dialog" onClose={onClose}>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {list === null && !error && <p class="hint">Loading…</p>}
      {list?.length === 0 && (
        <p class="placeholder" data-testid="pins-empty">
          Nothing is pinned here yet.{' '}
          {conv.mayPin.value
            ? 'Pin a message from its actions to keep it here.'
            : 'The room’s owner and moderators pin messages.'}
        </p>
      )}
      {list && list.length > 0 && (
        <ol class="pins-list" aria-label="Pinned messages">
          {list.map(({ message: m, pinnedBy, pinnedAt }, at) => (
            <li key={m.seq} class="pin" data-testid="pin" data-seq={m.seq}>
              <p class="pin-meta">
                <bdi class="pin-author">{shownName(conv.names.current(m.author))}</bdi>{' '}
                <time dateTime={new Date(m.createdAt).toISOString()}>
                  {formatFull(m.createdAt)}
                </time>
              </p>
              {/* As text, mentions by name; the chat shows it formatted. */}
              <p class="pin-text" dir="auto">
                {blockedIds.value.has(m.author.id)
                  ? 'A message from someone you blocked'
                  : m.text
                    ? withNames(m.text, conv.names.nameOf)
                    : 'A file'}
              </p>
              <p class="pin-meta">
                Pinned by <bdi>{conv.names.shownNameOf(pinnedBy)}</bdi>, {formatFull(pinnedAt)}
              </p>
              <div class="pin-actions">
                <button
                  type="button"
                  class="link-button"
                  data-testid="pin-show"
                  onClick={() => show(m.seq)}
                >
                  Show in chat
                </button>
                {conv.mayPin.value && (
                  <button
                    type="button"
                    class="link-button"
                    data-testid="pin-unpin"
                    onClick={() => {
                      leaving.current = { seq: m.seq, at };
                      conv.pin(m.seq, false);
                    }}
                  >
                    Unpin
                  </button>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
    </Dialog>
  );
}
