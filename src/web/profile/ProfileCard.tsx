/**
 * A person's profile card: picture, display name, username, status, local time, and
 * "Message". A modal `<dialog>` (Dialog): focus moves into it, Escape closes it and focus
 * returns to the name or avatar that opened it.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { shownName } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';
import type { Api } from '../api/endpoints';
import { Dialog } from '../ui/Dialog';
import { blockedIds } from './blocked';
import { setBlocked } from './blocked-api';
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
            <>
              {/* A widget user reads their embedded room only: a DM would never reach them. */}
              {!user.kind && (
                <button
                  type="button"
                  class="primary"
                  data-testid="profile-message"
                  onClick={() => onMessage(user)}
                >
                  Message
                </button>
              )}
              <BlockToggle api={api} user={user} />
            </>
          )
        )}
      </div>
    </Dialog>
  );
}

/**
 * Block (after a confirmation that says what it does) or unblock. A visitor's or a site
 * user's session has no list to keep (the server refuses it), so the error is shown.
 */
function BlockToggle({ api, user }: { api: Api; user: UserRef }) {
  const confirming = useSignal(false);
  const error = useSignal<string | null>(null);
  const blocked = blockedIds.value.has(user.id);
  // Focus follows the question: onto Block when asked, back to what asked when answered.
  // (Not when the card opens: the dialog puts focus where it always does.)
  const focusNext = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) focusNext.current?.focus();
    opened.current = true;
  }, [confirming.value, blocked]);
  const change = (on: boolean) => {
    error.value = null;
    setBlocked(api, user.id, on).then(
      () => (confirming.value = false),
      (err: unknown) =>
        (error.value = err instanceof Error ? err.message : 'Could not change that. Try again.'),
    );
  };
  return (
    <div class="stack profile-block">
      {error.value && (
        <p class="form-error" role="alert">
          {error.value}
        </p>
      )}
      {blocked ? (
        <button
          type="button"
          data-testid="profile-unblock"
          ref={focusNext}
          onClick={() => change(false)}
        >
          Unblock
        </button>
      ) : confirming.value ? (
        <div role="group" aria-label="Confirm block" class="stack">
          <p class="hint">
            Neither of you will be able to send messages in your direct messages, and their messages
            elsewhere will be folded away for you. They are not told.
          </p>
          <div class="row">
            <button
              type="button"
              class="danger"
              data-testid="profile-block-confirm"
              ref={focusNext}
              onClick={() => change(true)}
            >
              Block
            </button>
            <button type="button" onClick={() => (confirming.value = false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          class="link-button danger"
          data-testid="profile-block"
          ref={focusNext}
          onClick={() => (confirming.value = true)}
        >
          Block
        </button>
      )}
    </div>
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
