/**
 * Deleting the account: the password again (a guest confirms with a checkbox). Says plainly
 * that the messages go too (src/worker/account/delete.ts).
 */
import { useSignal } from '@preact/signals';
import type { Me } from '../../shared/api';
import { FormError } from '../ui/Field';
import { errorsOf, type AccountApi } from './api';
import { CurrentPasswordField } from './CurrentPasswordField';

interface DeleteProps {
  api: AccountApi;
  me: Me;
  onDeleted: () => void;
}

export function DeleteAccount({ api, me, onDeleted }: DeleteProps) {
  const password = useSignal('');
  const sure = useSignal(false);
  const errors = useSignal<{ password?: string; form?: string }>({});
  const busy = useSignal(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    try {
      await api.deleteAccount(me.guest ? { confirm: true } : { password: password.value });
      onDeleted();
    } catch (err) {
      errors.value = errorsOf(err, 'Could not delete the account. Try again.', ['password']);
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
        <CurrentPasswordField id="delete-password" value={password} error={errors.value.password} />
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
      <FormError error={errors.value.form} />
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
