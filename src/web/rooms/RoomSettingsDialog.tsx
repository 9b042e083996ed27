/**
 * A room's settings for its owner and moderators (issue 12), loaded on first open: name,
 * topic and description, slow mode, people (moderators, remove, ban, add), invite links,
 * bans, the audit list, archive and delete. Every change is a notice in the room's order,
 * so the room's own state (model.ts) refreshes from it like every other tab's.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Conversation } from '../conversation/model';
import { ApiError } from '../api/http';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';
import './rooms.css';
import { PrivacySwitch } from './PrivacySwitch';
import { AuditList, BanList, InviteLinks, People } from './SettingsSections';
import { adminApiOf } from './api';

export interface RoomSettingsProps {
  conv: Conversation;
  onClose: () => void;
  /** The room is gone (deleted): leave it. */
  onDeleted: () => void;
}

const SLOW_MODES = [0, 5, 10, 30, 60, 300, 900];

export function RoomSettingsDialog({ conv, onClose, onDeleted }: RoomSettingsProps) {
  const room = conv.room;
  const admin = room.admin.value;
  const owner = room.isOwner.value;
  const status = useSignal<string | null>(null);
  const failure = useSignal<string | null>(null);
  const name = useSignal(admin?.name ?? '');
  const topic = useSignal(admin?.topic ?? '');
  const description = useSignal(admin?.description ?? '');
  useEffect(() => void room.refresh(), []);
  // Demoted, removed or banned while it is open (or stepping down): the settings are not
  // theirs now. (It opens only for the owner and moderators, so `admin` is known then.)
  const lost = !!conv.connection.value?.closeReason.value; // removed, banned, deleted
  const allowed = !lost && (admin?.role === 'owner' || admin?.role === 'moderator');
  useEffect(() => {
    if (!allowed) onClose();
  }, [allowed]);

  async function act(what: string, run: () => Promise<unknown>): Promise<boolean> {
    failure.value = null;
    status.value = null;
    try {
      await run();
      status.value = what;
      await room.refresh();
      return true;
    } catch (err) {
      failure.value = err instanceof ApiError ? err.message : 'That did not work. Try again.';
      return false;
    }
  }

  if (!admin || !allowed) return null;
  return (
    <Dialog title={`${admin.name}: settings`} testId="room-settings" onClose={onClose}>
      <div class="stack room-settings">
        <p class="hint">
          {admin.private ? 'Private room: only members see it.' : 'Public room.'} You are the{' '}
          {admin.role === 'owner' ? 'owner' : 'a moderator'}.
          {admin.archived && (
            <> Archived: reopen it to change its name, topic, description or slow mode.</>
          )}
          {admin.owner && admin.role !== 'owner' && (
            <>
              {' '}
              Owner: <bdi>{admin.owner.name}</bdi>.
            </>
          )}
        </p>
        {admin.role === 'moderator' && (
          <button
            type="button"
            data-testid="step-down"
            onClick={() =>
              confirm('Step down as a moderator? Only the owner can make you one again.') &&
              void act('You are a member again.', () =>
                adminApiOf(room).setModerator(conv.me.id, false),
              )
            }
          >
            Step down as moderator
          </button>
        )}
        {owner && !admin.archived && (
          <Section title="Name, topic and description">
            <form
              class="stack"
              onSubmit={(e) => {
                e.preventDefault();
                void act('Saved', () =>
                  adminApiOf(room).update({
                    name: name.value,
                    topic: topic.value,
                    description: description.value,
                  }),
                );
              }}
            >
              <Field id="room-name" label="Name" value={name} />
              <Field id="room-topic" label="Topic" value={topic} />
              <Field id="room-description" label="Description" value={description} rows={3} />
              <button type="submit" class="primary" data-testid="room-save">
                Save
              </button>
            </form>
          </Section>
        )}
        {owner && admin.id !== 'global' && (
          <Section title="Who can find it">
            <PrivacySwitch room={room} act={act} />
          </Section>
        )}
        {!admin.archived && (
          <Section title="Slow mode" open>
            <label for="room-slow-mode">One message per person every</label>
            <select
              id="room-slow-mode"
              data-testid="room-slow-mode"
              value={String(admin.slowModeSeconds)}
              onChange={(e) => {
                const seconds = Number(e.currentTarget.value);
                void act(seconds ? `Slow mode: ${seconds} s` : 'Slow mode off', () =>
                  adminApiOf(room).slowMode(seconds),
                );
              }}
            >
              {SLOW_MODES.map((s) => (
                <option key={s} value={String(s)}>
                  {s === 0
                    ? 'Off'
                    : s < 60
                      ? `${s} seconds`
                      : s === 60
                        ? '1 minute'
                        : `${s / 60} minutes`}
                </option>
              ))}
            </select>
          </Section>
        )}
        <Section title="People" open>
          <People conv={conv} act={act} />
        </Section>
        {admin.id !== 'global' && (
          <Section title="Invite links">
            <InviteLinks room={room} act={act} />
          </Section>
        )}
        <Section title="Banned">
          <BanList room={room} act={act} />
        </Section>
        <Section title="Audit log">
          <AuditList conv={conv} />
        </Section>
        {owner && (
          <Section title="Archive or delete">
            <div class="row">
              <button
                type="button"
                data-testid="room-archive"
                onClick={() =>
                  void act(admin.archived ? 'Reopened' : 'Archived', () =>
                    adminApiOf(room).archive(!admin.archived),
                  )
                }
              >
                {admin.archived ? 'Reopen the room' : 'Archive (read-only)'}
              </button>
              <button
                type="button"
                class="danger"
                data-testid="room-delete"
                onClick={() => {
                  if (!confirm(`Delete ${admin.name} and all its messages for everyone?`)) return;
                  void act('Deleted', () => adminApiOf(room).remove()).then(() => {
                    if (!failure.value) onDeleted();
                  });
                }}
              >
                Delete room
              </button>
            </div>
          </Section>
        )}
        <p class="form-status" role="status" data-testid="room-settings-status">
          {status.value}
        </p>
        {failure.value && (
          <p class="form-error" role="alert" data-testid="room-settings-error">
            {failure.value}
          </p>
        )}
      </div>
    </Dialog>
  );
}

function Section({
  title,
  open,
  children,
}: {
  title: string;
  open?: boolean;
  children: ComponentChildren;
}) {
  return (
    <details class="settings-section" open={open}>
      <summary>{title}</summary>
      <div class="stack">{children}</div>
    </details>
  );
}
