/** "Join this room?", asked when the app was opened at an invite link (invite-link.ts). */
import { Dialog } from '../ui/Dialog';
import type { Invitation } from './invite-link';

interface InviteDialogProps {
  invitation: Invitation;
  onAnswer: (join: boolean) => void;
}

export function InviteDialog({ invitation, onAnswer }: InviteDialogProps) {
  return (
    <Dialog title="You were invited" testId="invite-dialog" onClose={() => onAnswer(false)}>
      <p>
        This link invites you to join{' '}
        <strong>
          #<bdi>{invitation.room.name}</bdi>
        </strong>
        .
      </p>
      <div class="dialog-actions">
        <button type="button" data-testid="invite-decline" onClick={() => onAnswer(false)}>
          Not now
        </button>
        <button
          type="button"
          class="primary"
          data-testid="invite-accept"
          onClick={() => onAnswer(true)}
        >
          Join the room
        </button>
      </div>
    </Dialog>
  );
}
