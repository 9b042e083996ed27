import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { Dialog } from '../ui/Dialog';
import { PrivateMark } from '../ui/PrivateMark';
import { FormError } from '../ui/Field';
import { SearchField } from '../ui/SearchField';
import type { Directory } from './directory';

interface BrowseProps {
  directory: Directory;
  onOpen: (id: string) => void;
  onClose: () => void;
}

export function BrowseRoomsDialog({ directory, onOpen, onClose }: BrowseProps) {
  const filter = useSignal(directory.query.peek());
  const list = useRef<HTMLUListElement>(null);
  // The server searches every room (the list is paged, so filtering what is loaded would
  // miss rooms); a pause in typing sends the search.
  useEffect(() => {
    const wait = setTimeout(() => void directory.search(filter.value), filter.value ? 250 : 0);
    return () => clearTimeout(wait);
  }, [filter.value]);
  const rooms = directory.rooms.value;

  async function more() {
    const shown = directory.rooms.peek().length;
    await directory.more();
    // The last page removes the button: keep the keyboard on the first room it brought.
    if (!directory.nextCursor.peek()) {
      list.current?.children[shown]?.querySelector<HTMLElement>('button')?.focus();
    }
  }

  return (
    <Dialog title="Browse rooms" testId="room-browser" onClose={onClose}>
      <SearchField
        id="room-filter"
        label="Search rooms"
        placeholder="Search rooms"
        value={filter.value}
        onInput={(v) => (filter.value = v)}
      />
      <FormError error={directory.error.value} />
      {directory.loading.value && !rooms.length && <p class="placeholder">Loading rooms…</p>}
      {!directory.loading.value && !directory.error.value && !rooms.length && (
        <p class="placeholder" data-testid="room-browser-empty">
          {directory.query.value.trim()
            ? `No rooms match “${directory.query.value.trim()}”`
            : 'No rooms yet'}
        </p>
      )}
      <ul class="room-list" ref={list}>
        {rooms.map((r) => (
          <li key={r.id} class="room-row" data-testid="room-row">
            <div>
              <strong class="room-name" dir="auto">
                {r.kind === 'private' && <PrivateMark />}
                {r.name}
              </strong>
              {r.topic && (
                <p class="topic" dir="auto">
                  {r.topic}
                </p>
              )}
              {r.description && (
                <p class="room-description" dir="auto" title={r.description}>
                  {r.description}
                </p>
              )}
              <p class="meta">
                {r.memberCount} {r.memberCount === 1 ? 'member' : 'members'} · {r.onlineCount}{' '}
                online
              </p>
            </div>
            {r.member ? (
              <button
                type="button"
                data-testid="room-open"
                data-room-id={r.id}
                onClick={() => {
                  onOpen(r.id);
                  onClose();
                }}
              >
                Open
              </button>
            ) : (
              <button
                type="button"
                class="primary"
                data-testid="room-join"
                data-room-id={r.id}
                aria-label={`Join ${r.name}`}
                onClick={() => void directory.join(r.id).then((ok) => ok && onClose())}
              >
                Join
              </button>
            )}
          </li>
        ))}
      </ul>
      {directory.nextCursor.value && (
        <button
          type="button"
          class="load-more"
          data-testid="room-browser-more"
          aria-disabled={directory.loading.value}
          onClick={() => void more()}
        >
          {directory.loading.value ? 'Loading…' : 'More rooms'}
        </button>
      )}
    </Dialog>
  );
}
