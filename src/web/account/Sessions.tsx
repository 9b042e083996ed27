/** Where this account is signed in, with a way to sign each session (or all others) out. */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { SessionInfo } from '../../shared/account';
import { FormError } from '../ui/Field';
import { messageOf, type AccountApi } from './api';

/** What a session is: the browser, or for a widget session the site and chat it is for. */
function labelOf(s: SessionInfo): string {
  const device = s.device ?? 'Unknown device';
  if (!s.widget) return device;
  let site = s.widget.origin;
  try {
    site = new URL(site).host;
  } catch {
    // Shown as stored.
  }
  return `Chat widget on ${site}, in ${s.widget.roomName ?? 'a chat'} (${device})`;
}

const when = (ms: number) =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function Sessions({ api, onSignedOut }: { api: AccountApi; onSignedOut: () => void }) {
  const list = useSignal<SessionInfo[] | null>(null);
  const error = useSignal<string | null>(null);
  const status = useSignal<string | null>(null);
  const busy = useSignal(false);

  async function load() {
    try {
      list.value = await api.sessions();
      error.value = null;
    } catch (err) {
      error.value = messageOf(err, 'Could not load your sessions.');
    }
  }
  useEffect(() => void load(), []);

  async function act(action: () => Promise<{ revoked: number }>, current: boolean) {
    if (busy.value) return;
    busy.value = true;
    status.value = null;
    try {
      const { revoked } = await action();
      if (current) return onSignedOut();
      status.value = `${revoked} ${revoked === 1 ? 'session' : 'sessions'} signed out.`;
      await load();
    } catch (err) {
      error.value = messageOf(err, 'Could not sign that session out.');
    } finally {
      busy.value = false;
    }
  }

  const others = list.value?.filter((s) => !s.current).length ?? 0;
  return (
    <div class="stack" data-testid="sessions">
      <FormError error={error.value} />
      {list.value === null && !error.value && <p class="hint">Loading…</p>}
      {list.value && (
        <ul class="session-list">
          {list.value.map((s) => (
            <li
              key={s.id}
              data-testid="session"
              data-current={s.current || undefined}
              data-widget-origin={s.widget?.origin}
            >
              <div>
                <strong dir="auto">{labelOf(s)}</strong>
                {s.current && <span class="session-here"> · This device</span>}
                <p class="hint">
                  Signed in {when(s.createdAt)}
                  {s.lastSeenAt && ` · last seen ${when(s.lastSeenAt)}`}
                </p>
              </div>
              <button
                type="button"
                class="link-button"
                data-testid="session-revoke"
                disabled={busy.value}
                aria-label={`Sign out ${labelOf(s)}${s.current ? ' (this device)' : ''}, signed in ${when(s.createdAt)}`}
                onClick={() => void act(() => api.revokeSession(s.id), s.current)}
              >
                Sign out
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="inline-actions">
        <button
          type="button"
          data-testid="sessions-revoke-others"
          disabled={busy.value || others === 0}
          onClick={() => void act(() => api.revokeOthers(), false)}
        >
          Sign out everywhere else
        </button>
        {status.value && <span role="status">{status.value}</span>}
      </div>
    </div>
  );
}
