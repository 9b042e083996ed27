/**
 * The sign-in / register / guest form as a model: field values, per-field errors (from the
 * shared schemas first, then from the server), and one submit action.
 */
import { computed, signal } from '@preact/signals';
import type { z } from 'zod';
import { guestBody, loginBody, registerBody } from '../../shared/api';
import { passwordStrength } from '../../shared/password-strength';
import { ApiError } from '../api/http';
import type { Session } from './model';

export type AuthMode = 'signin' | 'register' | 'guest';
export type Field = 'username' | 'password' | 'email' | 'name';
export type FieldErrors = Partial<Record<Field | 'form', string>>;

export function createAuthForm(session: Session, initial: AuthMode = 'signin') {
  const mode = signal<AuthMode>(initial);
  const username = signal('');
  const password = signal('');
  const email = signal('');
  const name = signal('');
  const errors = signal<FieldErrors>({});
  const busy = signal(false);
  const strength = computed(() => passwordStrength(password.value, username.value));

  function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> | null {
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const field = String(issue?.path[0] ?? 'form') as Field;
    errors.value = { [field]: issue?.message ?? 'Check this field' };
    return null;
  }

  async function run(action: () => Promise<unknown>) {
    busy.value = true;
    try {
      await action();
    } catch (err) {
      errors.value = toFieldErrors(err, mode.value);
    } finally {
      busy.value = false;
    }
  }

  async function submit() {
    if (busy.value) return;
    errors.value = {};
    if (mode.value === 'guest') {
      const body = validate(guestBody, { name: name.value.trim() });
      if (body) await run(() => session.guest(body.name));
    } else if (mode.value === 'signin') {
      const body = validate(loginBody, {
        username: username.value.trim(),
        password: password.value,
      });
      if (body) await run(() => session.login(body.username, body.password));
    } else {
      const body = validate(registerBody, {
        username: username.value.trim(),
        password: password.value,
        email: email.value.trim() || undefined,
      });
      if (!body) return;
      const reason = strength.value.reason;
      if (reason) errors.value = { password: reason };
      else await run(() => session.register(body.username, body.password, body.email));
    }
  }

  return {
    mode,
    username,
    password,
    email,
    name,
    errors,
    busy,
    strength,
    submit,
    switchTo(next: AuthMode) {
      mode.value = next;
      errors.value = {};
    },
  };
}

export type AuthForm = ReturnType<typeof createAuthForm>;

function toFieldErrors(err: unknown, mode: AuthMode): FieldErrors {
  if (!(err instanceof ApiError)) return { form: 'Something went wrong. Try again.' };
  switch (err.code) {
    case 'username_taken':
      return { [mode === 'guest' ? 'name' : 'username']: err.message };
    case 'weak_password':
      return { password: err.message };
    case 'too_many_attempts': {
      const wait = err.retryAfterMs ? ` Try again in ${Math.ceil(err.retryAfterMs / 1000)} s.` : '';
      return { form: err.message + wait };
    }
    case 'validation_failed': {
      const field = err.field === 'name' && mode !== 'guest' ? 'username' : err.field;
      return field ? { [field]: err.message } : { form: err.message };
    }
    default:
      return { form: err.message };
  }
}
