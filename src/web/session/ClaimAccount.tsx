/** A guest sets a password and keeps the account. */
import { useSignal } from '@preact/signals';
import { passwordStrength } from '../../shared/password-strength';
import { ApiError } from '../api/http';
import { Field } from '../ui/Field';
import type { Session } from './model';
import { PasswordMeter } from './PasswordMeter';

export function ClaimAccount({ session, onDone }: { session: Session; onDone: () => void }) {
  const password = useSignal('');
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const strength = passwordStrength(password.value, session.me.value?.username);

  async function submit(e: Event) {
    e.preventDefault();
    if (strength.reason) {
      error.value = strength.reason;
      return;
    }
    busy.value = true;
    try {
      await session.claim(password.value);
      onDone();
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : 'Could not save the password';
    } finally {
      busy.value = false;
    }
  }

  return (
    <form class="stack" onSubmit={submit} noValidate>
      <p>Set a password to keep “{session.me.value?.name}” and sign in from anywhere.</p>
      <Field
        id="claim-password"
        label="New password"
        type="password"
        value={password}
        error={error.value}
        autocomplete="new-password"
        hint={
          <PasswordMeter strength={strength} empty={!password.value} showReason={!error.value} />
        }
        autoFocus
      />
      <button class="primary" type="submit" disabled={busy.value} data-testid="claim-submit">
        Keep this account
      </button>
    </form>
  );
}
