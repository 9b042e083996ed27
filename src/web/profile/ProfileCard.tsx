/**
 * A person's profile card: picture, display name, username, status, local time, and
 * "Message". A modal `<dialog>` (Dialog): focus moves into it, Escape closes it and focus
 * returns to the name or avatar that opened it.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { shownName } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';
import type { Api } from '../api/endpoints';
import { Dialog } from '../ui/Dialog';
import { Avatar, PRESENCE_LABEL } from './Avatar';
import { StatusLine } from './StatusLine';
import { kindLine } from './user-kind';
import { UserTag } from './UserTag';

interface ProfileCardProps {
  user: UserRef;
  api: Api;
  meId: string;
  /** Whether they have Parlor open (as far as this client knows), for the dot. */
  online: boolean;
  onMessage: (user: UserRef) => void;
  onClose: () => void;
}

export function ProfileCard({
  user: given,
  api,
  meId,
  online,
  onMessage,
  onClose,
}: ProfileCardProps) {
  const fetched = useSignal<{ user: UserRef; timeZone: string | null; deleted?: boolean } | null>(
    null,
  );
  const now = useSignal(Date.now());
  useEffect(() => {
    api.profileCard(given.id).then(
      (card) => (fetched.value = card),
      () => {}, // the card shows what the client already knows
    );
    const timer = setInterval(() => (now.value = Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [given.id]);
  const user = fetched.value?.user ?? given;
  const timeZone = fetched.value?.timeZone ?? null;
  const presence = online ? (user.presence ?? 'active') : null;

  return (
    <Dialog title={shownName(user)} testId="profile-card" onClose={onClose}>
      <div class="profile-card" data-user-id={user.id}>
        <Avatar user={user} size={96} presence={presence} />
        <dl class="profile-facts">
          <dt>Username</dt>
          <dd data-testid="profile-username">
            <bdi>@{user.name}</bdi>
            <UserTag user={user} />
          </dd>
          {user.kind && (
            <>
              <dt>Account</dt>
              <dd data-testid="profile-kind">{kindLine(user)}</dd>
            </>
          )}
          {presence && (
            <>
              <dt>Now</dt>
              <dd data-testid="profile-presence">{PRESENCE_LABEL[presence]}</dd>
            </>
          )}
          {user.status && (
            <>
              <dt>Status</dt>
              <dd data-testid="profile-status">
                <StatusLine status={user.status} now={now.value} withUntil />
              </dd>
            </>
          )}
          {timeZone && (
            <>
              <dt>Local time</dt>
              <dd data-testid="profile-local-time">{localTime(now.value, timeZone)}</dd>
            </>
          )}
        </dl>
        {fetched.value?.deleted ? (
          <p class="hint" data-testid="profile-deleted">
            This account was deleted.
          </p>
        ) : (
          user.id !== meId && (
            <button
              type="button"
              class="primary"
              data-testid="profile-message"
              onClick={() => onMessage(user)}
            >
              Message
            </button>
          )
        )}
      </div>
    </Dialog>
  );
}

function localTime(at: number, timeZone: string): string {
  try {
    const time = new Intl.DateTimeFormat(undefined, {
      timeZone,
      hour: 'numeric',
      minute: '2-digit',
      weekday: 'short',
    }).format(at);
    return `${time} (${timeZone.replaceAll('_', ' ')})`;
  } catch {
    return timeZone;
  }
}
