/**
 * Deleting the account: the password again (a guest confirms with a checkbox). Says plainly
 * that the messages go too (src/worker/account/delete.ts).
 */
import { useSignal } from '@preact/signals';
import type { Me } from '../../shared/api';
import { ApiError } from '../api/http';
import { Field } from '../ui/Field';
import { messageOf, type AccountApi } from './api';

interface DeleteProps {
  api: AccountApi;
  me: Me;
  onDeleted: () => void;
}

export function DeleteAccount({ api, me, onDeleted }: DeleteProps) {
  const password = useSignal('');
  const sure = useSignal(false);
  const error = useSignal<{ field?: string; message: string } | null>(null);
  const busy = useSignal(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy.value) return;
    busy.value = true;
    error.value = null;
    try {
      await api.deleteAccount(me.guest ? { confirm: true } : { password: password.value });
      onDeleted();
    } catch (err) {
      error.value = {
        field: err instanceof ApiError ? err.field : undefined,
        message: messageOf(err, 'Could not delete the account. Try again.'),
      };
    } finally {
      busy.value = false;
    }
  }

  const ready = sure.value && (me.guest || password.value !== '');
  return (
    <form class="stack" noValidate onSubmit={(e) => void submit(e)} data-testid="delete-form">
      <p id="delete-explained">
        Deleting “<bdi>{me.name}</bdi>” removes every message and reaction you wrote, in every chat,
        for everyone; they show as deleted. Your name becomes free for others after a few days. This
        cannot be undone.
      </p>
      {!me.guest && (
        <Field
          id="delete-password"
          label="Your password"
          type="password"
          value={password}
          error={error.value?.field === 'password' ? error.value.message : undefined}
          autocomplete="current-password"
        />
      )}
      <label class="check">
        <input
          type="checkbox"
          data-testid="delete-confirm"
          checked={sure.value}
          aria-describedby="delete-explained"
          onChange={(e) => (sure.value = e.currentTarget.checked)}
        />
        I understand that my account and my messages will be deleted
      </label>
      {error.value && error.value.field !== 'password' && (
        <p class="form-error" role="alert">
          {error.value.message}
        </p>
      )}
      <div class="inline-actions">
        <button
          type="submit"
          class="danger"
          data-testid="delete-submit"
          disabled={busy.value || !ready}
        >
          Delete my account
        </button>
      </div>
    </form>
  );
}
