/**
 * "Do not disturb" in the sidebar: off, or on until a time (shown), chosen as one hour,
 * tomorrow at 9:00 local time, or any date and time up to 30 days ahead.
 */
import { useSignal } from '@preact/signals';
import { DND_MAX_MS } from '../../shared/attention';
import { tomorrowAtNine, type Attention } from './attention';
import { Popover } from './Popover';

const HOUR = 3600_000;

export function DoNotDisturb({ attention }: { attention: Attention }) {
  const on = attention.dndOn.value;
  const until = attention.dndUntil.value;
  const custom = useSignal('');
  const when = on && until ? endsAt(until) : '';
  return (
    <div class="dnd" data-testid="dnd" data-on={on}>
      <Popover
        label={on ? `Do not disturb until ${when}. Change` : 'Do not disturb: off. Turn on'}
        face={on ? `🔕 Do not disturb until ${when}` : '🔔 Do not disturb'}
        testId="dnd-button"
      >
        {(close) => {
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
                    max={localInput(Date.now() + DND_MAX_MS)}
                    value={custom.value}
                    onInput={(e) => (custom.value = e.currentTarget.value)}
                  />
                </label>
                <button type="submit">Set</button>
              </form>
              {on && (
                <button
                  type="button"
                  class="choice"
                  data-testid="dnd-off"
                  onClick={() => set(null)}
                >
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
        }}
      </Popover>
    </div>
  );
}

/** "14:30", or "Tue 09:00" when not today. */
function endsAt(t: number): string {
  const d = new Date(t);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === new Date().toDateString()
    ? time
    : `${d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}

/** A time as `<input type=datetime-local>` wants it: local, to the minute. */
function localInput(t: number): string {
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
