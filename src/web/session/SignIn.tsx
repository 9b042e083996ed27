/** Sign in, register, or continue as a guest. */
import { useMemo } from 'preact/hooks';
import { Field } from '../ui/Field';
import { createAuthForm, type AuthMode } from './auth-form';
import type { Session } from './model';
import { PasswordMeter } from './PasswordMeter';

const TABS: { mode: AuthMode; label: string }[] = [
  { mode: 'signin', label: 'Sign in' },
  { mode: 'register', label: 'Register' },
  { mode: 'guest', label: 'Guest' },
];

export function SignIn({ session, initial }: { session: Session; initial?: AuthMode }) {
  const form = useMemo(() => createAuthForm(session, initial), [session]);
  const mode = form.mode.value;
  const errors = form.errors.value;
  const action =
    mode === 'signin' ? 'Sign in' : mode === 'register' ? 'Create account' : 'Continue';

  return (
    <main class="auth">
      <h1 class="brand">Parlor</h1>
      <div class="tabs" role="group" aria-label="How to enter">
        {TABS.map((t) => (
          <button
            type="button"
            id={`auth-tab-${t.mode}`}
            data-testid={`auth-tab-${t.mode}`}
            aria-pressed={mode === t.mode}
            onClick={() => form.switchTo(t.mode)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <form
        aria-labelledby={`auth-tab-${mode}`}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit();
        }}
      >
        {mode === 'guest' ? (
          <Field
            id="guest-name"
            label="Your name"
            value={form.name}
            error={errors.name}
            autocomplete="nickname"
            maxLength={32}
            autoFocus
          />
        ) : (
          <>
            <Field
              id="auth-username"
              label="Username"
              value={form.username}
              error={errors.username}
              autocomplete="username"
              maxLength={64}
              autoFocus
            />
            <Field
              id="auth-password"
              label="Password"
              type="password"
              value={form.password}
              error={errors.password}
              autocomplete={mode === 'register' ? 'new-password' : 'current-password'}
              hint={
                mode === 'register' && (
                  <PasswordMeter
                    strength={form.strength.value}
                    empty={!form.password.value}
                    showReason={!errors.password}
                  />
                )
              }
            />
            {mode === 'register' && (
              <Field
                id="auth-email"
                label="Email (optional)"
                type="email"
                value={form.email}
                error={errors.email}
                autocomplete="email"
              />
            )}
          </>
        )}
        {errors.form && (
          <p class="form-error" role="alert" data-testid="form-error">
            {errors.form}
          </p>
        )}
        <button class="primary" type="submit" data-testid="auth-submit" disabled={form.busy.value}>
          {form.busy.value ? 'One moment…' : action}
        </button>
        {mode === 'signin' && (
          <p class="hint">
            <a href="/account/forgot" data-testid="forgot-link">
              Forgot your password?
            </a>
          </p>
        )}
        {mode === 'guest' && (
          <p class="hint">Guests can chat right away and set a password later to keep the name.</p>
        )}
      </form>
    </main>
  );
}
