import { useComputed, useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { Dialog } from '../ui/Dialog';
import type { Directory } from './directory';

interface BrowseProps {
  directory: Directory;
  onOpen: (id: string) => void;
  onClose: () => void;
}

export function BrowseRoomsDialog({ directory, onOpen, onClose }: BrowseProps) {
  const filter = useSignal('');
  useEffect(() => void directory.load(), []);
  const rooms = useComputed(() => {
    const f = filter.value.trim().toLowerCase();
    return directory.rooms.value.filter(
      (r) => !f || r.name.toLowerCase().includes(f) || r.topic?.toLowerCase().includes(f),
    );
  });

  return (
    <Dialog title="Browse rooms" testId="room-browser" onClose={onClose}>
      <label class="visually-hidden" for="room-filter">
        Filter rooms
      </label>
      <input
        id="room-filter"
        type="search"
        placeholder="Filter rooms"
        value={filter.value}
        onInput={(e) => (filter.value = e.currentTarget.value)}
        autoFocus
      />
      {directory.error.value && (
        <p class="form-error" role="alert">
          {directory.error.value}
        </p>
      )}
      {directory.loading.value && !directory.rooms.value.length && (
        <p class="placeholder">Loading rooms…</p>
      )}
      <ul class="room-list">
        {rooms.value.map((r) => (
          <li key={r.id} class="room-row">
            <div>
              <strong>
                <bdi>{r.name}</bdi>
              </strong>
              {r.topic && (
                <p class="topic" dir="auto">
                  {r.topic}
                </p>
              )}
              <p class="meta">
                {r.memberCount} members · {r.onlineCount} online
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
    </Dialog>
  );
}
