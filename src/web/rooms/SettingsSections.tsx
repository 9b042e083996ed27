/** The lists in a room's settings (issue 12): people, invite links, bans, the audit log. */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import {
  MODERATION_NOTICES,
  type AuditEntry,
  type RoomBan,
  type RoomInvite,
} from '../../shared/moderation';
import { nameWithHandle, shownName } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';
import type { Conversation } from '../conversation/model';
import { formatFull } from '../conversation/stream';
import { Field } from '../ui/Field';
import type { RoomState } from './model';
import { adminApiOf } from './api';
import { AddPerson } from './AddPerson';

const MODERATION: ReadonlySet<string> = new Set(MODERATION_NOTICES);

/** Runs an admin call and says how it went; true when it worked. */
type Act = (what: string, run: () => Promise<unknown>) => Promise<boolean>;

/**
 * A list that could not load keeps what it showed: the role that allowed it was lost while
 * the dialog was open (the dialog then closes, RoomSettingsDialog), or the network is down.
 */
const kept = () => undefined;

/** Members by name with what the viewer may do to each; and adding someone by name. */
export function People({ conv, act }: { conv: Conversation; act: Act }) {
  const room = conv.room;
  const admin = room.admin.value!;
  const q = useSignal('');
  const members = useSignal<UserRef[]>([]);
  const load = () =>
    adminApiOf(room)
      .members(q.value)
      .then((list) => (members.value = list), kept);
  useEffect(() => void load(), [q.value]);
  const mods = new Set(admin.moderators.map((u) => u.id));
  const roleOf = (id: string) =>
    id === admin.owner?.id ? 'owner' : mods.has(id) ? 'moderator' : 'member';
  const owner = admin.role === 'owner';
  const mayActOn = (id: string) =>
    id !== conv.me.id && roleOf(id) !== 'owner' && (owner || roleOf(id) === 'member');
  const run = (what: string, call: () => Promise<unknown>) =>
    act(what, call).then((done) => {
      void load();
      return done;
    });

  return (
    <>
      <Field id="room-people-search" label="Find a member" value={q} />
      <ul class="settings-list" data-testid="room-members">
        {members.value.map((u) => (
          <li key={u.id} data-testid="room-member" data-user-id={u.id}>
            <bdi>{nameWithHandle(conv.names.current(u))}</bdi>{' '}
            <span class="tag">{roleOf(u.id)}</span>
            {owner && u.id !== conv.me.id && (
              <>
                <button
                  type="button"
                  class="link-button"
                  onClick={() =>
                    void run('Changed', () =>
                      adminApiOf(room).setModerator(u.id, roleOf(u.id) !== 'moderator'),
                    )
                  }
                >
                  {roleOf(u.id) === 'moderator' ? 'Remove moderator' : 'Make moderator'}
                </button>
                <button
                  type="button"
                  class="link-button"
                  onClick={() => {
                    if (
                      confirm(`Hand the room to ${nameWithHandle(u)}? You stay on as a moderator.`)
                    )
                      void run('Ownership handed over', () => adminApiOf(room).transfer(u.id));
                  }}
                >
                  Make owner
                </button>
              </>
            )}
            {mayActOn(u.id) && admin.id !== 'global' && (
              <button
                type="button"
                class="link-button danger"
                data-testid="member-remove"
                aria-label={`Remove ${shownName(u)} from the room`}
                onClick={() =>
                  void run(`${shownName(u)} removed`, () => adminApiOf(room).removeMember(u.id))
                }
              >
                Remove
              </button>
            )}
            {mayActOn(u.id) && (
              <button
                type="button"
                class="link-button danger"
                data-testid="member-ban"
                aria-label={`Ban ${shownName(u)} from the room`}
                onClick={() => {
                  // One click beside "Remove" must not ban: it asks, as "Make owner" does.
                  const asked = `Ban ${nameWithHandle(u)} from the room? They leave it now and cannot come back until unbanned.`;
                  if (confirm(asked))
                    void run(`${shownName(u)} banned`, () => adminApiOf(room).ban(u.id));
                }}
              >
                Ban
              </button>
            )}
          </li>
        ))}
      </ul>
      {admin.id !== 'global' && (
        <AddPerson
          room={room}
          add={(u) => run(`${shownName(u)} added`, () => adminApiOf(room).addMember(u.id))}
        />
      )}
    </>
  );
}

const EXPIRIES = [
  [3600, '1 hour'],
  [86_400, '1 day'],
  [7 * 86_400, '7 days'],
  [30 * 86_400, '30 days'],
] as const;

export function InviteLinks({ room, act }: { room: RoomState; act: Act }) {
  const invites = useSignal<RoomInvite[]>([]);
  const expires = useSignal<number>(86_400);
  const uses = useSignal('10');
  const made = useSignal<string | null>(null);
  const load = () =>
    adminApiOf(room)
      .invites()
      .then((list) => (invites.value = list), kept);
  useEffect(() => void load(), []);
  return (
    <>
      <div class="row">
        <label for="invite-expires">Expires after</label>
        <select
          id="invite-expires"
          value={String(expires.value)}
          onChange={(e) => (expires.value = Number(e.currentTarget.value))}
        >
          {EXPIRIES.map(([s, label]) => (
            <option key={s} value={String(s)}>
              {label}
            </option>
          ))}
        </select>
        <label for="invite-uses">Uses</label>
        <input
          id="invite-uses"
          type="number"
          min={1}
          max={1000}
          value={uses.value}
          onInput={(e) => (uses.value = e.currentTarget.value)}
        />
        <button
          type="button"
          data-testid="invite-create"
          onClick={() =>
            void act('Invite link made', async () => {
              const invite = await adminApiOf(room).createInvite(expires.value, Number(uses.value));
              made.value = `${location.origin}/invite/${invite.token}`;
              await load();
            })
          }
        >
          Make a link
        </button>
      </div>
      {made.value && (
        <p>
          <label for="invite-link">New link (shown once)</label>
          <input id="invite-link" data-testid="invite-link" readOnly value={made.value} />
        </p>
      )}
      <ul class="settings-list" data-testid="invite-list">
        {invites.value.map((i) => (
          <li key={i.id} data-testid="invite">
            By <bdi>{shownName(i.createdBy)}</bdi>, {i.uses} of {i.maxUses} used, expires{' '}
            {formatFull(i.expiresAt)}{' '}
            <button
              type="button"
              class="link-button danger"
              data-testid="invite-revoke"
              onClick={() =>
                void act('Link revoked', () => adminApiOf(room).revokeInvite(i.id)).then(
                  () => void load(),
                )
              }
            >
              Revoke
            </button>
          </li>
        ))}
        {invites.value.length === 0 && <li>No live links.</li>}
      </ul>
    </>
  );
}

export function BanList({ room, act }: { room: RoomState; act: Act }) {
  const bans = useSignal<RoomBan[]>([]);
  const load = () =>
    adminApiOf(room)
      .bans()
      .then((list) => (bans.value = list), kept);
  useEffect(() => void load(), [room.admin.value]);
  return (
    <ul class="settings-list" data-testid="ban-list">
      {bans.value.map((b) => (
        <li key={b.user.id} data-testid="banned-user">
          <bdi>{nameWithHandle(b.user)}</bdi>, by <bdi>{shownName(b.by)}</bdi> {formatFull(b.at)}{' '}
          <button
            type="button"
            class="link-button"
            onClick={() =>
              void act(`${shownName(b.user)} unbanned`, () =>
                adminApiOf(room).unban(b.user.id),
              ).then(() => void load())
            }
          >
            Unban
          </button>
        </li>
      ))}
      {bans.value.length === 0 && <li>Nobody is banned.</li>}
    </ul>
  );
}

export function AuditList({ conv }: { conv: Conversation }) {
  const entries = useSignal<AuditEntry[]>([]);
  useEffect(() => {
    let current = true;
    // The newest moderation notice this chat has seen; the list is D1's copy of the notices,
    // which may be one copy (about 100 ms) behind the notice that made it read again.
    const newest = () =>
      Math.max(
        0,
        ...conv.notices
          .peek()
          .filter((n) => MODERATION.has(n.notice.kind))
          .map((n) => n.seq),
      );
    const load = async (tries: number): Promise<void> => {
      const list = await adminApiOf(conv.room).audit();
      if (!current) return;
      entries.value = list;
      if ((list[0]?.seq ?? 0) < newest() && tries > 1) setTimeout(() => void load(tries - 1), 300);
    };
    load(5).catch(kept);
    return () => {
      current = false;
    };
  }, [conv.room.admin.value]);
  return (
    <ol class="settings-list" data-testid="audit-list">
      {entries.value.map(({ seq, notice: n }) => (
        <li key={seq} data-testid="audit-entry" data-kind={n.kind}>
          {formatFull(n.at)}:{' '}
          <bdi>{n.actor ? nameWithHandle(conv.names.current(n.actor)) : 'Someone'}</bdi>{' '}
          {n.kind.replaceAll('_', ' ')}
          {n.subject && (
            <>
              {' '}
              (<bdi>{nameWithHandle(conv.names.current(n.subject))}</bdi>)
            </>
          )}
          {n.seconds !== undefined && <> ({n.seconds} s)</>}
        </li>
      ))}
      {entries.value.length === 0 && <li>Nothing yet.</li>}
    </ol>
  );
}
