/**
 * Account care's entry points in the first screen's bundle: two small wrappers that load
 * the forms (AccountSettings.tsx, Recovery.tsx) the first time they are shown, so their code
 * stays out of the first screen's budget.
 */
import { lazy } from '../ui/lazy';
import type { AccountSettingsProps } from './AccountSettings';
import type { RecoveryProps } from './Recovery';

export const AccountSection = lazy<AccountSettingsProps>(
  () => import('./AccountSettings').then((m) => m.AccountSettings),
  'the account settings',
);

export const AccountPage = lazy<RecoveryProps>(
  () => import('./Recovery').then((m) => m.Recovery),
  'this page',
);

/** Whether the address is one of the account pages (a mailed link, a forgotten password). */
export const isAccountPath = (path: string) =>
  path === '/account/forgot' || path === '/account/reset' || path === '/account/verify';
