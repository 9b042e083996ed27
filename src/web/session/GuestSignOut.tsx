/** The warning a guest gets before signing out: the name and chats go with the guest. */
import { Dialog } from '../ui/Dialog';
import type { Session } from './model';

interface GuestSignOutProps {
  session: Session;
  name: string;
  onClaim: () => void;
  onClose: () => void;
}

export function GuestSignOut({ session, name, onClaim, onClose }: GuestSignOutProps) {
  return (
    <Dialog title="Sign out as a guest?" testId="sign-out-warning" onClose={onClose}>
      <p data-testid="sign-out-warning-text">
        You will lose the name “<bdi>{name}</bdi>” and your chats unless you set a password. Signing
        in as a guest again makes a new guest.
      </p>
      <div class="dialog-actions">
        <button type="button" data-testid="sign-out-claim" onClick={onClaim}>
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
  );
}
