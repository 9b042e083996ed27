/**
 * Shows whether live updates are flowing: connected, connecting, reconnecting, offline (the
 * browser has no network), or closed.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { SocketState } from './socket';

interface StatusProps {
  state: ReadonlySignal<SocketState> | undefined;
  reason?: string | null;
  onRetry?: () => void;
  testId?: string;
}

// While the device has no network the socket can only keep retrying: say why.
const online = signal(navigator.onLine);
addEventListener('online', () => (online.value = true));
addEventListener('offline', () => (online.value = false));

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
      <span class="connection-label">
        {value === 'closed' && reason ? reason : online.value ? LABEL[value] : 'Offline'}
      </span>
      {value === 'reconnecting' && online.value && onRetry && (
        <button type="button" class="link-button" onClick={onRetry}>
          Retry now
        </button>
      )}
    </div>
  );
}
