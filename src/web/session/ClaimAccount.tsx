/** A guest sets a password and keeps the account. */
import { useComputed, useSignal, useSignalEffect } from '@preact/signals';
import { ApiError } from '../api/http';
import type { Session } from './model';
import { NewPasswordField } from './NewPasswordField';
import { checkStrength } from './strength';

export function ClaimAccount({ session, onDone }: { session: Session; onDone: () => void }) {
  const password = useSignal('');
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const username = useComputed(() => session.me.value?.username);
  // An error is about the password it was given; typing a new one takes it away.
  useSignalEffect(() => {
    password.value;
    error.value = undefined;
  });

  async function submit(e: Event) {
    e.preventDefault();
    busy.value = true;
    try {
      const { reason } = await checkStrength(password.value, username.value);
      if (reason) {
        error.value = reason;
        return;
      }
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
      <NewPasswordField
        id="claim-password"
        value={password}
        error={error.value}
        username={username}
        autoFocus
      />
      <button class="primary" type="submit" disabled={busy.value} data-testid="claim-submit">
        Keep this account
      </button>
    </form>
  );
}
