import { AccountPage, isAccountPath } from '../account/lazy';
import { SignIn } from '../session/SignIn';
import { Shell } from './Shell';
import type { Store } from './store';

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
