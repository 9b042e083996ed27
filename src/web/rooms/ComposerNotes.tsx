/**
 * What the room's rules mean for the composer (issue 12): an archived room has none (and
 * under slow mode, SlowModeNote.tsx counts down to when the viewer may send again).
 */
export function ArchivedBar() {
  return (
    <div class="join-bar" data-testid="room-archived" role="status">
      <span>This room is archived: it is read-only.</span>
    </div>
  );
}
