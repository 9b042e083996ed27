/** The owner makes the room private or public (issue 12): a notice in the room's order. */
import type { RoomState } from './model';
import { adminApiOf } from './api';

type Act = (what: string, run: () => Promise<unknown>) => Promise<unknown>;

export function PrivacySwitch({ room, act }: { room: RoomState; act: Act }) {
  const isPrivate = room.admin.value!.private;
  return (
    <>
      <p class="hint" id="room-privacy-hint">
        {isPrivate
          ? 'Private: hidden from the room browser and search; people join by invitation.'
          : 'Public: anyone can find it in the room browser and search, and join.'}
      </p>
      <button
        type="button"
        data-testid="room-privacy"
        aria-describedby="room-privacy-hint"
        onClick={() => {
          const question = isPrivate
            ? 'Make the room public? Anyone will be able to find it, read it and join.'
            : 'Make the room private? People who are not members lose sight of it at once.';
          if (!confirm(question)) return;
          void act(isPrivate ? 'The room is public' : 'The room is private', () =>
            adminApiOf(room).privacy(!isPrivate),
          );
        }}
      >
        {isPrivate ? 'Make public' : 'Make private'}
      </button>
    </>
  );
}
