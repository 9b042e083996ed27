/**
 * Under slow mode (issue 12), a line above the composer counts down to when the viewer may
 * send again. A chunk of its own: most rooms never have slow mode.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { RoomState } from './model';

export function SlowModeNote({ room }: { room: RoomState }) {
  const seconds = room.slowModeSeconds.value;
  const until = room.sendableAt.value;
  const now = useSignal(Date.now());
  const left = Math.ceil((until - now.value) / 1000);
  useEffect(() => {
    if (until <= Date.now()) return;
    const timer = setInterval(() => (now.value = Date.now()), 250);
    return () => clearInterval(timer);
  }, [until]);
  if (seconds === 0 && left <= 0) return null;
  const exempt = room.moderates.value;
  return (
    <p class="slow-mode" data-testid="slow-mode">
      {seconds > 0 && (
        <span>
          Slow mode: one message every {seconds} s{exempt ? ' (moderators are exempt)' : ''}.
        </span>
      )}{' '}
      {left > 0 && (
        <span data-testid="slow-mode-countdown" aria-live="off">
          You can send again in {left} s.
        </span>
      )}
    </p>
  );
}
