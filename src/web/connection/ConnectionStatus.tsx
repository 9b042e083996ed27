/** Shows whether live updates are flowing: connected, connecting, reconnecting, or closed. */
import type { ReadonlySignal } from '@preact/signals';
import type { SocketState } from './socket';

interface StatusProps {
  state: ReadonlySignal<SocketState> | undefined;
  reason?: string | null;
  onRetry?: () => void;
  testId?: string;
}

const LABEL: Record<SocketState, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

export function ConnectionStatus({
  state,
  reason,
  onRetry,
  testId = 'connection-status',
}: StatusProps) {
  const value = state?.value ?? 'connecting';
  return (
    <div class="connection" data-testid={testId} data-state={value} role="status">
      <span class="connection-dot" aria-hidden="true" />
      <span class="connection-label">{value === 'closed' && reason ? reason : LABEL[value]}</span>
      {value === 'reconnecting' && onRetry && (
        <button type="button" class="link-button" onClick={onRetry}>
          Retry now
        </button>
      )}
    </div>
  );
}
