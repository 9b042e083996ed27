/** A guest sets a password and keeps the account. */
import { useComputed, useSignal, useSignalEffect } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { ApiError } from '../api/http';
import { Field } from '../ui/Field';
import type { Session } from './model';
import { PasswordMeter } from './PasswordMeter';
import { checkStrength, strengthOf } from './strength';

export function ClaimAccount({ session, onDone }: { session: Session; onDone: () => void }) {
  const password = useSignal('');
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const username = useComputed(() => session.me.value?.username);
  const meter = useMemo(() => strengthOf(password, username), []);
  useEffect(() => meter.dispose, [meter]);
  const strength = meter.strength.value;
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
