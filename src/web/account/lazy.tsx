/**
 * Account care's entry points in the first screen's bundle: two small wrappers that load
 * the forms (AccountSettings.tsx, Recovery.tsx) the first time they are shown, so their code
 * stays out of the first screen's budget.
 */
import { useSignal } from '@preact/signals';
import type { ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';
import type { AccountSettingsProps } from './AccountSettings';
import type { RecoveryProps } from './Recovery';

function lazy<P extends object>(load: () => Promise<ComponentType<P>>, what: string) {
  let loading: Promise<ComponentType<P>> | null = null;
  return function Lazy(props: P) {
    const Loaded = useSignal<ComponentType<P> | null>(null);
    const failed = useSignal(false);
    useEffect(() => {
      loading ??= load().catch((err: unknown) => {
        loading = null; // a later open tries again
        throw err;
      });
      loading.then(
        (c) => (Loaded.value = c),
        () => (failed.value = true),
      );
    }, []);
    if (failed.value) {
      return (
        <p class="form-error" role="alert">
          {what} could not load. Check the connection and try again.
        </p>
      );
    }
    const C = Loaded.value;
    return C ? <C {...props} /> : <p class="hint">Loading…</p>;
  };
}

export const AccountSection = lazy<AccountSettingsProps>(
  () => import('./AccountSettings').then((m) => m.AccountSettings),
  'Account settings',
);

export const AccountPage = lazy<RecoveryProps>(
  () => import('./Recovery').then((m) => m.Recovery),
  'This page',
);

/** Whether the address is one of the account pages (a mailed link, a forgotten password). */
export const isAccountPath = (path: string) =>
  path === '/account/forgot' || path === '/account/reset' || path === '/account/verify';
