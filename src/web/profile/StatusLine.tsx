/** A status: its emoji and text, gone once its time is up (the server drops it too). */
import type { Status } from '../../shared/profile';

interface StatusLineProps {
  status: Status | undefined;
  now: number;
  /** Say until when (the profile card). */
  withUntil?: boolean;
}

const untilFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  hour: 'numeric',
  minute: '2-digit',
});

export function StatusLine({ status, now, withUntil }: StatusLineProps) {
  if (!status || (status.until !== null && status.until <= now)) return null;
  return (
    <span class="status-line" data-testid="status-line" dir="auto">
      {status.emoji && <span class="status-emoji">{status.emoji} </span>}
      <bdi>{status.text}</bdi>
      {withUntil && status.until !== null && (
        <span class="muted"> · until {untilFormat.format(status.until)}</span>
      )}
    </span>
  );
}
