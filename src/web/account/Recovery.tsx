/**
 * The pages a mailed link or a forgotten password leads to, at `/account/*`: ask for a reset
 * link, choose a new password with one, confirm an address. The link's token is in the URL's
 * fragment (never sent to a server), read once and then taken out of the address bar.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import type { Http } from '../api/http';
import { NewPasswordField } from '../session/NewPasswordField';
import { checkStrength } from '../session/strength';
import { Field } from '../ui/Field';
import { accountApi, messageOf, type AccountApi } from './api';

export interface RecoveryProps {
  path: string;
  http: Pick<Http, 'get' | 'send'>;
}

function takeToken(): string {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  if (location.hash) history.replaceState(null, '', location.pathname);
  return token;
}

export function Recovery({ path, http }: RecoveryProps) {
  const api = useMemo(() => accountApi(http), [http]);
  const token = useMemo(takeToken, []);
  const page =
    path === '/account/reset' ? (
      <ResetPassword api={api} token={token} />
    ) : path === '/account/verify' ? (
      <VerifyEmail api={api} token={token} />
    ) : (
      <ForgotPassword api={api} />
    );
  return (
    <main class="auth">
      <h1 class="brand">Parlor</h1>
      {page}
      <p>
        <a href="/" data-testid="back-to-parlor">
          Back to Parlor
        </a>
      </p>
    </main>
  );
}

function ForgotPassword({ api }: { api: AccountApi }) {
  const email = useSignal('');
  const error = useSignal<string | undefined>(undefined);
  const sent = useSignal<string | null>(null);
  const busy = useSignal(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy.value) return;
    busy.value = true;
    error.value = undefined;
    try {
      sent.value = (await api.requestReset(email.value.trim())).message;
    } catch (err) {
      error.value = messageOf(err, 'Could not send the link. Try again.');
    } finally {
      busy.value = false;
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => void submit(e)}
      aria-labelledby="forgot-title"
      data-testid="forgot-form"
    >
      <h2 id="forgot-title">Forgot your password?</h2>
      <p class="hint">
        Give the address you confirmed on your account. Without one, a password cannot be reset.
      </p>
      <Field
        id="forgot-email"
        label="Email"
        type="email"
        value={email}
        error={error.value}
        autocomplete="email"
        autoFocus
      />
      <button
        class="primary"
        type="submit"
        data-testid="forgot-submit"
        disabled={busy.value || !email.value.trim()}
      >
        Send a reset link
      </button>
      {sent.value && (
        <p role="status" data-testid="forgot-done">
          {sent.value}
        </p>
      )}
    </form>
  );
}

function ResetPassword({ api, token }: { api: AccountApi; token: string }) {
  const password = useSignal('');
  const error = useSignal<string | undefined>(undefined);
  const done = useSignal(false);
  const busy = useSignal(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy.value) return;
    busy.value = true;
    error.value = undefined;
    try {
      const { reason } = await checkStrength(password.value).catch(() => ({ reason: null }));
      if (reason) {
        error.value = reason;
        return;
      }
      await api.reset(token, password.value);
      done.value = true;
    } catch (err) {
      error.value = messageOf(err, 'Could not set the password. Try again.');
    } finally {
      busy.value = false;
    }
  }

  if (!token)
    return <p role="alert">This link is incomplete. Open the whole link from the mail.</p>;
  if (done.value) {
    return (
      <p role="status" data-testid="reset-done">
        Your password is changed and every session was signed out. Sign in with the new password.
      </p>
    );
  }
  return (
    <form
      noValidate
      onSubmit={(e) => void submit(e)}
      aria-labelledby="reset-title"
      data-testid="reset-form"
    >
      <h2 id="reset-title">Choose a new password</h2>
      <NewPasswordField id="reset-password" value={password} error={error.value} autoFocus />
      <button
        class="primary"
        type="submit"
        data-testid="reset-submit"
        disabled={busy.value || !password.value}
      >
        Set password
      </button>
    </form>
  );
}

function VerifyEmail({ api, token }: { api: AccountApi; token: string }) {
  const state = useSignal<'checking' | 'done' | string>('checking');
  useEffect(() => {
    if (!token) {
      state.value = 'This link is incomplete. Open the whole link from the mail.';
      return;
    }
    api.verifyEmail(token).then(
      () => (state.value = 'done'),
      (err: unknown) => (state.value = messageOf(err, 'Could not confirm the address.')),
    );
  }, []);
  if (state.value === 'checking') return <p role="status">Confirming your address…</p>;
  if (state.value === 'done') {
    return (
      <p role="status" data-testid="verify-done">
        Your address is confirmed. It can now be used to reset your password.
      </p>
    );
  }
  return (
    <p role="alert" data-testid="verify-error">
      {state.value}
    </p>
  );
}
