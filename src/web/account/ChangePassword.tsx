/** A new password, given the current one; every other session is signed out. */
import { useComputed, useSignal, useSignalEffect } from '@preact/signals';
import { NewPasswordField } from '../session/NewPasswordField';
import { checkStrength } from '../session/strength';
import { FormError } from '../ui/Field';
import { errorsOf, type AccountApi } from './api';
import { CurrentPasswordField } from './CurrentPasswordField';

export function ChangePassword({ api, username }: { api: AccountApi; username: string }) {
  const current = useSignal('');
  const next = useSignal('');
  const errors = useSignal<{ current?: string; password?: string; form?: string }>({});
  const done = useSignal<string | null>(null);
  const busy = useSignal(false);
  const name = useComputed(() => username);
  useSignalEffect(() => {
    next.value;
    if (errors.peek().password) errors.value = { ...errors.peek(), password: undefined };
  });

  async function submit(e: Event) {
    e.preventDefault();
    if (busy.value) return;
    busy.value = true;
    done.value = null;
    errors.value = {};
    try {
      if (!current.value) {
        errors.value = { current: 'Enter your current password' };
        return;
      }
      const reason = await checkStrength(next.value, username).then(
        (s) => s.reason,
        () => null, // the estimator did not load: the server checks the same rules
      );
      if (reason) {
        errors.value = { password: reason };
        return;
      }
      const { revoked } = await api.changePassword(current.value, next.value);
      current.value = '';
      next.value = '';
      done.value =
        revoked === 0
          ? 'Password changed.'
          : `Password changed. ${revoked} other ${revoked === 1 ? 'session was' : 'sessions were'} signed out.`;
    } catch (err) {
      errors.value = errorsOf(err, 'Could not change the password. Try again.', [
        'current',
        'password',
      ]);
    } finally {
      busy.value = false;
    }
  }

  return (
    <form class="stack" noValidate onSubmit={(e) => void submit(e)} data-testid="password-form">
      {/* Lets password managers tie the new password to the right account. */}
      <input type="hidden" autocomplete="username" value={username} />
      <CurrentPasswordField
        id="current-password"
        label="Current password"
        value={current}
        error={errors.value.current}
      />
      <NewPasswordField
        id="new-password"
        value={next}
        error={errors.value.password}
        username={name}
      />
      <FormError error={errors.value.form} />
      <div class="inline-actions">
        <button type="submit" data-testid="password-submit" disabled={busy.value || !next.value}>
          Change password
        </button>
        {done.value && (
          <span role="status" data-testid="password-done">
            {done.value}
          </span>
        )}
      </div>
      <p class="hint">Changing it signs you out on every other device.</p>
    </form>
  );
}
