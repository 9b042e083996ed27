/**
 * The search dialog: a labelled search box, results newest first (room, author, time, the
 * matching words marked), Up/Down between results, Enter or a click opens the chat there.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Http } from '../api/http';
import type { SearchHit } from '../../shared/search';
import { UserTag } from '../profile/UserTag';
import { Dialog } from '../ui/Dialog';
import { closeOnEscape } from '../ui/SearchField';
import { createSearch } from './model';
import { Snippet } from './Snippet';
import { shownName } from '../../shared/profile';
import { PersonButton } from '../profile/PersonButton';
import { PrivateMark } from '../ui/PrivateMark';
import { userColor } from '../ui/color';
import './search.css';

export interface SearchDialogProps {
  http: Pick<Http, 'get'>;
  /** Opens the chat of a result; the dialog closes itself. */
  onOpen: (hit: SearchHit) => void;
  onClose: () => void;
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** As the chat list names it: `#name`, a lock in place of the `#` (below), a DM's person. */
function roomLabel(hit: SearchHit): string {
  if (hit.roomKind === 'dm') return `DM with ${hit.roomName}`;
  return hit.roomKind === 'private' ? hit.roomName : `#${hit.roomName}`;
}

export function SearchDialog({ http, onOpen, onClose }: SearchDialogProps) {
  const search = useMemo(() => createSearch(http), [http]);
  const text = useSignal('');
  const list = useRef<HTMLOListElement>(null);
  // An answer that comes after the dialog closed opens nothing.
  const shown = useRef(true);
  useEffect(
    () => () => {
      shown.current = false;
    },
    [],
  );
  // A pause in typing sends the search.
  useEffect(() => {
    const wait = setTimeout(() => void search.search(text.value), text.value ? 250 : 0);
    return () => clearTimeout(wait);
  }, [text.value]);

  const results = search.results.value;
  const asked = search.query.value.trim();

  /** Up/Down move between the box and the results. */
  function onKeyDown(e: KeyboardEvent) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const items = [...(list.current?.querySelectorAll<HTMLElement>('.search-result') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = e.key === 'ArrowDown' ? at + 1 : at - 1;
    e.preventDefault();
    if (next < 0) document.getElementById('search-box')?.focus();
    else items[Math.min(next, items.length - 1)]?.focus();
  }

  function open(hit: SearchHit) {
    onOpen(hit);
    onClose();
  }

  /**
   * Enter: the first result of what the box says now, never of an older query still on
   * screen; typed before the pause sent it, it is asked at once and opened when answered.
   */
  async function openFirst() {
    const q = text.peek();
    const hit = await search.firstResult(q);
    // The box changed while this was answered: that Enter was for a query no longer asked.
    if (hit && shown.current && text.peek() === q) open(hit);
  }

  return (
    <Dialog title="Search messages" testId="search-dialog" onClose={onClose}>
      <div class="search" onKeyDown={onKeyDown}>
        <label class="visually-hidden" for="search-box">
          Search messages
        </label>
        <input
          id="search-box"
          type="search"
          data-testid="search-box"
          placeholder="Words, in:room, from:name, mentions:me"
          aria-describedby="search-help"
          autoComplete="off"
          value={text.value}
          onInput={(e) => (text.value = e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void openFirst();
            else closeOnEscape(e);
          }}
          autoFocus
        />
        <p id="search-help" class="hint">
          Filters: <code>in:room</code> (or <code>in:@name</code> for a DM), <code>from:name</code>{' '}
          (a display name with spaces in quotes: <code>from:"Zelda Fitz"</code>),{' '}
          <code>mentions:name</code> (<code>mentions:me</code>: you), <code>after:</code>/
          <code>before:</code> a date (YYYY-MM-DD, UTC). Enter opens the first result; ↓ moves
          through them.
        </p>
        {!text.value && (
          <button
            type="button"
            class="link-button"
            data-testid="search-mentions-me"
            onClick={() => {
              text.value = 'mentions:me';
              document.getElementById('search-box')?.focus();
            }}
          >
            Messages that mention you
          </button>
        )}
        <p class="visually-hidden" role="status">
          {search.loading.value
            ? 'Searching…'
            : asked && !search.error.value
              ? `${results.length}${search.nextCursor.value ? ' or more' : ''} ${results.length === 1 && !search.nextCursor.value ? 'result' : 'results'}`
              : ''}
        </p>
        {search.error.value && (
          <p class="form-error" role="alert" data-testid="search-error">
            {search.error.value}
          </p>
        )}
        {asked && !search.loading.value && !search.error.value && !results.length && (
          <p class="placeholder" data-testid="search-empty">
            Nothing found for “{asked}”
          </p>
        )}
        <ol class="search-results" ref={list} aria-label="Results">
          {results.map((hit) => (
            <li key={`${hit.roomId}:${hit.seq}`} class="search-hit">
              {/* The author's name opens their card, so it sits beside the result's button,
                  not in it (a button cannot hold a button). */}
              <span class="search-meta" id={`hit-${hit.roomId}-${hit.seq}`}>
                <bdi class="search-room">
                  {hit.roomKind === 'private' && <PrivateMark />}
                  {roomLabel(hit)}
                </bdi>
                <PersonButton
                  user={hit.author}
                  class="link-button search-author"
                  testId="search-author"
                  style={{ color: userColor(hit.author) }}
                >
                  <bdi>{shownName(hit.author)}</bdi>
                </PersonButton>
                {hit.author.kind && <UserTag user={hit.author} />}
                <time dateTime={new Date(hit.createdAt).toISOString()}>
                  {when.format(hit.createdAt)}
                </time>
              </span>
              <button
                type="button"
                class="search-result"
                data-testid="search-result"
                data-room-id={hit.roomId}
                data-seq={hit.seq}
                aria-describedby={`hit-${hit.roomId}-${hit.seq}`}
                onClick={() => open(hit)}
              >
                <Snippet snippet={hit.snippet} />
              </button>
            </li>
          ))}
        </ol>
        {search.nextCursor.value && (
          <button
            type="button"
            class="link-button"
            disabled={search.loading.value}
            onClick={() => void search.more()}
          >
            Older results
          </button>
        )}
      </div>
    </Dialog>
  );
}
