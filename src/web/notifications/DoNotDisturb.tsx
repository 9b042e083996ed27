/**
 * "Do not disturb" in the sidebar: off, or on until a time (shown), chosen as one hour,
 * tomorrow at 9:00 local time, or any date and time up to 30 days ahead (the choices load
 * on first open).
 */
import { DND_MAX_MS } from '../../shared/attention';
import { lazy } from '../ui/lazy';
import type { Attention } from './attention';
import { Popover } from './Popover';

const DndChoices = lazy(() => import('./menus').then((m) => m.DndChoices), 'the choices');

export function DoNotDisturb({ attention }: { attention: Attention }) {
  const on = attention.dndOn.value;
  const until = attention.dndUntil.value;
  const when = on && until ? endsAt(until) : '';
  return (
    <div class="dnd" data-testid="dnd" data-on={on}>
      <Popover
        label={on ? `Do not disturb until ${when}. Change` : 'Do not disturb: off. Turn on'}
        face={on ? `🔕 Do not disturb until ${when}` : '🔔 Do not disturb'}
        testId="dnd-button"
      >
        {(close) => <DndChoices attention={attention} maxMs={DND_MAX_MS} close={close} />}
      </Popover>
    </div>
  );
}

/** "14:30", or "Tue 9 Dec 09:00" when not today. */
function endsAt(t: number): string {
  const d = new Date(t);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === new Date().toDateString()
    ? time
    : `${d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}
