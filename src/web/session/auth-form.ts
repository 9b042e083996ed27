/**
 * The sign-in / register / guest form as a model: field values, per-field errors (from the
 * shared schemas first, then from the server), and one submit action.
 */
import { computed, effect, signal, type Signal } from '@preact/signals';
import type * as z from 'zod/mini';
import { guestBody, loginBody, registerBody } from '../../shared/api';
import { ApiError } from '../api/http';
import type { Session } from './model';
import { checkStrength, strengthOf } from './strength';

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
  const { strength } = strengthOf(
    password,
    username,
    computed(() => mode.value === 'register'),
  );
  const fields: Record<Field, Signal<string>> = { username, password, email, name };
  // A field's error is about the value it was given: editing the field takes it away, so a
  // refused password's error never stays beside the meter of a new one.
  for (const [field, value] of Object.entries(fields) as [Field, Signal<string>][]) {
    effect(() => {
      value.value;
      if (errors.peek()[field]) errors.value = { ...errors.peek(), [field]: undefined };
    });
  }

  function validate<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> | null {
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
      busy.value = true;
      const reason = await checkStrength(body.password, body.username).then(
        (s) => s.reason,
        () => null, // estimator not loadable: the server checks the same rules
      );
      busy.value = false;
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
    case 'name_too_similar':
      return { [mode === 'guest' ? 'name' : 'username']: err.message };
    case 'weak_password':
      return { password: err.message };
    // The server's message already says when to try again ("…; try again in 4 s"): adding
    // our own wait once printed it twice.
    case 'too_many_attempts':
    case 'rate_limited':
    case 'server_busy':
      return { form: err.message };
    case 'validation_failed': {
      const field = err.field === 'name' && mode !== 'guest' ? 'username' : err.field;
      return field ? { [field]: err.message } : { form: err.message };
    }
    default:
      return { form: err.message };
  }
}
