/**
 * The Sign out button. An account signs out at once; a guest is warned first, because
 * signing out ends a guest for good (the server forgets this browser's guest): the name and
 * the chats are gone unless a password is set.
 */
import { useSignal } from '@preact/signals';
import { Dialog } from '../ui/Dialog';
import type { Session } from './model';

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
        <Dialog
          title="Sign out as a guest?"
          testId="sign-out-warning"
          onClose={() => (warning.value = false)}
        >
          <p data-testid="sign-out-warning-text">
            You will lose the name “<bdi>{me.name}</bdi>” and your chats unless you set a password.
            Signing in as a guest again makes a new guest.
          </p>
          <div class="dialog-actions">
            <button
              type="button"
              data-testid="sign-out-claim"
              onClick={() => {
                warning.value = false;
                onClaim();
              }}
            >
              Set a password
            </button>
            <button
              type="button"
              class="danger"
              data-testid="sign-out-confirm"
              onClick={() => void session.logout()}
            >
              Sign out and lose this name
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
