import { AccountPage, isAccountPath } from '../account/lazy';
import { lazy } from '../ui/lazy';
import { Shell } from './Shell';
import type { Store } from './store';

// Signed-in people (most page loads) never need the sign-in form's code.
const SignIn = lazy(
  () => import('../session/SignIn').then((m) => m.SignIn),
  'the sign-in form',
  (failed) => (
    <p class="placeholder splash" role="status">
      {failed ? 'Could not load the sign-in form. Check your connection.' : 'Loading Parlor…'}
    </p>
  ),
);

export function App({ store }: { store: Store }) {
  // A mailed link or "forgot password" works signed in or not.
  if (isAccountPath(location.pathname)) {
    return <AccountPage path={location.pathname} http={store.api} />;
  }
  switch (store.session.status.value) {
    case 'loading':
      return <p class="placeholder splash">Loading Parlor…</p>;
    case 'signed-out':
      return <SignIn session={store.session} />;
    case 'signed-in':
      return <Shell store={store} />;
  }
}
