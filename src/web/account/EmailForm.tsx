/** The optional email address: shown with whether it is confirmed, changed with the password. */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { AccountInfo } from '../../shared/account';
import { Field, FormError } from '../ui/Field';
import { errorsOf, messageOf, type AccountApi } from './api';
import { CurrentPasswordField } from './CurrentPasswordField';

export function EmailForm({ api }: { api: AccountApi }) {
  const info = useSignal<AccountInfo | null>(null);
  const email = useSignal('');
  const password = useSignal('');
  const errors = useSignal<{ email?: string; password?: string; form?: string }>({});
  const status = useSignal<string | null>(null);
  const busy = useSignal(false);

  useEffect(() => {
    api.info().then(
      (i) => {
        info.value = i;
        email.value = i.email ?? '';
      },
      (err: unknown) => (errors.value = { form: messageOf(err, 'Could not load your address.') }),
    );
  }, []);

  function sentNote(i: AccountInfo): string {
    if (!i.email) return 'Address removed.';
    if (i.emailVerified) return 'Address confirmed.';
    return i.mailSent
      ? `We sent a link to ${i.email}. Open it to confirm the address.`
      : 'Saved, but this server cannot send mail, so the address stays unconfirmed.';
  }

  async function run(action: () => Promise<AccountInfo>) {
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    status.value = null;
    try {
      const next = await action();
      info.value = next;
      password.value = '';
      status.value = sentNote(next);
    } catch (err) {
      errors.value = errorsOf(err, 'Could not save the address. Try again.', ['email', 'password']);
    } finally {
      busy.value = false;
    }
  }

  const current = info.value;
  return (
    <form
      class="stack"
      noValidate
      data-testid="email-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => api.setEmail(email.value.trim() || null, password.value));
      }}
    >
      {current && (
        <p data-testid="email-status">
          {current.email ? (
            <>
              <bdi>{current.email}</bdi>:{' '}
              {current.emailVerified ? 'confirmed' : 'not confirmed yet'}
            </>
          ) : (
            'No address. One lets you reset a forgotten password.'
          )}
        </p>
      )}
      <Field
        id="account-email"
        label="Email (optional)"
        type="email"
        value={email}
        error={errors.value.email}
        autocomplete="email"
        hint={<p class="hint">Used only to reset your password, and only once confirmed.</p>}
      />
      <CurrentPasswordField id="email-password" value={password} error={errors.value.password} />
      <FormError error={errors.value.form} />
      <div class="inline-actions">
        <button type="submit" data-testid="email-submit" disabled={busy.value || !password.value}>
          {email.value.trim() ? 'Save address' : 'Remove address'}
        </button>
        {current?.email && !current.emailVerified && (
          <button
            type="button"
            class="link-button"
            data-testid="email-resend"
            disabled={busy.value}
            onClick={() => void run(() => api.resendVerification())}
          >
            Send the link again
          </button>
        )}
        {status.value && (
          <span role="status" data-testid="email-done">
            {status.value}
          </span>
        )}
      </div>
    </form>
  );
}
