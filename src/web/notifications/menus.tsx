/**
 * The panels of the attention menus (a chunk loaded when one first opens): a chat's
 * notification level as radio buttons, and the "do not disturb" choices.
 */
import { useSignal } from '@preact/signals';
import type { NotifyLevel } from '../../shared/attention';
import type { Attention } from './attention';

const HOUR = 3600_000;

export const LEVEL_TEXT: Record<NotifyLevel, { label: string; hint: string }> = {
  all: { label: 'All messages', hint: 'Every new message makes a sound and a notification' },
  mentions: { label: 'Mentions only', hint: 'Only messages that mention you (or @here)' },
  none: { label: 'Nothing', hint: 'Never a sound or notification; unread still counted' },
};

export interface LevelChoicesProps {
  attention: Attention;
  roomId: string;
  level: NotifyLevel;
}

export function LevelChoices({ attention, roomId, level }: LevelChoicesProps) {
  return (
    <fieldset class="stack notify-levels">
      <legend>Notify me about</legend>
      {(Object.keys(LEVEL_TEXT) as NotifyLevel[]).map((l) => (
        <label class="check" key={l}>
          <input
            type="radio"
            name={`notify-${roomId}`}
            value={l}
            data-testid={`notify-${l}`}
            checked={l === level}
            // Stays open: arrow keys move through radios, each one a change.
            onChange={() => void attention.setLevel(roomId, l)}
          />
          <span>
            {LEVEL_TEXT[l].label}
            <span class="hint"> — {LEVEL_TEXT[l].hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export interface DndChoicesProps {
  attention: Attention;
  /** How far ahead an end may be (DND_MAX_MS; passed in, so this chunk imports no zod). */
  maxMs: number;
  close: () => void;
}

export function DndChoices({ attention, maxMs, close }: DndChoicesProps) {
  const custom = useSignal('');
  const set = (t: number | null) => void attention.setDnd(t).then(close);
  return (
    <div class="stack dnd-choices" role="group" aria-label="Do not disturb">
      <button
        type="button"
        class="choice"
        data-testid="dnd-hour"
        onClick={() => set(Date.now() + HOUR)}
      >
        For 1 hour
      </button>
      <button
        type="button"
        class="choice"
        data-testid="dnd-tomorrow"
        onClick={() => set(tomorrowAtNine())}
      >
        Until tomorrow 9:00
      </button>
      <form
        class="dnd-custom"
        onSubmit={(e) => {
          e.preventDefault();
          const t = new Date(custom.value).getTime();
          if (Number.isFinite(t)) set(t);
        }}
      >
        <label>
          Until{' '}
          <input
            type="datetime-local"
            data-testid="dnd-custom"
            required
            min={localInput(Date.now())}
            max={localInput(Date.now() + maxMs)}
            value={custom.value}
            onInput={(e) => (custom.value = e.currentTarget.value)}
          />
        </label>
        <button type="submit">Set</button>
      </form>
      {attention.dndOn.value && (
        <button type="button" class="choice" data-testid="dnd-off" onClick={() => set(null)}>
          Turn off
        </button>
      )}
      {attention.problem.value && (
        <p class="form-error" role="alert">
          {attention.problem.value}
        </p>
      )}
    </div>
  );
}

/** When "until tomorrow 9:00" ends, in the user's local time. */
export function tomorrowAtNine(from = new Date()): number {
  const next = new Date(from);
  next.setDate(next.getDate() + 1);
  next.setHours(9, 0, 0, 0);
  return next.getTime();
}

/** A time as `<input type=datetime-local>` wants it: local, to the minute. */
function localInput(t: number): string {
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
