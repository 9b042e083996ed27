/**
 * The password strength estimator, loaded on first use: zxcvbn-ts and its dictionaries
 * (~430 KB) stay out of the first screen's JavaScript (bench/budgets.mjs) and arrive only
 * when someone types a new password.
 */
import { effect, signal, type ReadonlySignal } from '@preact/signals';
import type { Strength } from '../../shared/password-strength';

type Estimator = typeof import('../../shared/password-strength');
let estimator: Promise<Estimator> | undefined;

export function loadEstimator(): Promise<Estimator> {
  estimator ??= import('../../shared/password-strength').catch((err: unknown) => {
    estimator = undefined; // a failed chunk load (offline) may succeed next time
    throw err;
  });
  return estimator;
}

/** Scores `password` (with `username` as a word to avoid) with the full estimator. */
export async function checkStrength(password: string, username = ''): Promise<Strength> {
  return (await loadEstimator()).passwordStrength(password, username);
}

/**
 * The strength of the password as it is typed: null while empty or while the estimator
 * loads. Only the latest input's score is kept, so a slow first load cannot overwrite a
 * newer one.
 */
export function strengthOf(
  password: ReadonlySignal<string>,
  username: ReadonlySignal<string | undefined>,
  enabled: ReadonlySignal<boolean> = signal(true),
): { strength: ReadonlySignal<Strength | null>; dispose: () => void } {
  const strength = signal<Strength | null>(null);
  let latest = 0;
  const dispose = effect(() => {
    const pw = password.value;
    const name = username.value ?? '';
    const asked = (latest += 1);
    if (!pw || !enabled.value) {
      strength.value = null;
      return;
    }
    checkStrength(pw, name).then(
      (s) => asked === latest && (strength.value = s),
      () => undefined, // the meter stays empty; the server still checks on submit
    );
  });
  return { strength, dispose };
}
