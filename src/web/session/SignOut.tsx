/**
 * The Sign out button. An account signs out at once; a guest is warned first, because
 * signing out ends a guest for good (the server forgets this browser's guest): the name and
 * the chats are gone unless a password is set.
 */
import { useSignal } from '@preact/signals';
import { lazy, toast } from '../ui/lazy';
import type { Session } from './model';

// Only a guest who signs out sees it.
const GuestSignOut = lazy(
  () => import('./GuestSignOut').then((m) => m.GuestSignOut),
  'The sign-out warning',
  toast,
);

export function SignOut({ session, onClaim }: { session: Session; onClaim: () => void }) {
  const warning = useSignal(false);
  const me = session.me.value;
  if (!me) return null;
  return (
    <>
      <button
        type="button"
        class="link-button"
        data-testid="sign-out"
        onClick={() => (me.guest ? (warning.value = true) : void session.logout())}
      >
        Sign out
      </button>
      {warning.value && (
        <GuestSignOut
          session={session}
          name={me.name}
          onClaim={() => {
            warning.value = false;
            onClaim();
          }}
          onClose={() => (warning.value = false)}
        />
      )}
    </>
  );
}
