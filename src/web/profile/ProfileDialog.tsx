/**
 * Your profile: picture, display name, status (with an optional emoji and when it clears),
 * do-not-disturb, time zone, and whether you send and see read receipts in DMs. Loaded only
 * when opened (it is not on the first screen).
 */
import { useComputed, useSignal } from '@preact/signals';
import type { Me } from '../../shared/api';
import { displayName as displayNameRule, PROFILE_LIMITS } from '../../shared/profile';
import { codePoints } from '../../shared/limits';
import { userResponse } from '../../shared/responses';
import type { Api } from '../api/endpoints';
import { ApiError } from '../api/http';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { browserZone, rememberAutoZone } from './auto-zone';
import { Avatar } from './Avatar';
import { squareAvatar, uploadAvatar } from './avatar-image';

interface ProfileDialogProps {
  api: Api;
  me: Me;
  onSaved: (me: Me) => void;
  onClose: () => void;
}

const CLEAR_AFTER: { value: string; label: string }[] = [
  { value: '', label: 'Don’t clear' },
  { value: '30', label: '30 minutes' },
  { value: '60', label: '1 hour' },
  { value: '240', label: '4 hours' },
  { value: 'today', label: 'Today' },
  { value: '10080', label: 'This week' },
];

function minutesFor(choice: string, until: number | null | undefined): number | null {
  if (choice === 'keep')
    return until ? Math.max(1, Math.ceil((until - Date.now()) / 60_000)) : null;
  if (!choice) return null;
  if (choice !== 'today') return Number(choice);
  const midnight = new Date();
  midnight.setHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((midnight.getTime() - Date.now()) / 60_000));
}

const untilText = (at: number) =>
  new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

/**
 * `zone` as the list names it: a browser may report an old alias (Asia/Calcutta) of a zone
 * the list has under its current name (Asia/Kolkata), or the other way round; both are the
 * same zone to Intl. Unknown to the list, it is shown as it is.
 */
function listed(zone: string, zones: string[]): string {
  if (zones.includes(zone)) return zone;
  const canonical = (z: string) =>
    new Intl.DateTimeFormat('en', { timeZone: z }).resolvedOptions().timeZone;
  try {
    const same = canonical(zone);
    return zones.find((z) => canonical(z) === same) ?? zone;
  } catch {
    return zone;
  }
}

const zoneList = () =>
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

export function ProfileDialog({ api, me, onSaved, onClose }: ProfileDialogProps) {
  const displayName = useSignal(me.displayName ?? '');
  const statusText = useSignal(me.status?.text ?? '');
  const statusEmoji = useSignal(me.status?.emoji ?? '');
  // A status that clears by itself keeps its time when the rest of the profile is saved.
  const clearAfter = useSignal(me.status?.until ? 'keep' : '');
  const dnd = useSignal(me.presence === 'dnd');
  const zones = zoneList();
  // Never chosen (none stored yet): the browser's, so that saving the profile stores it.
  const timeZone = useSignal(listed(me.timeZone ?? browserZone(), zones));
  const receipts = useSignal(me.readReceipts);
  const error = useSignal<{ field?: string; message: string } | null>(null);
  const done = useSignal<string | null>(null);
  const busy = useSignal(false);
  // The server's own rule (length in code points after NFC, no @), checked as one types, not
  // only after Save. maxLength counts UTF-16 units, two per emoji: the units of the emoji
  // typed so far are added to the limit, so the field stops at the server's 48 characters
  // (an emoji as the 48th is one unit too many: refused, never one character over).
  const nameProblem = useComputed(() => {
    const checked = displayNameRule.safeParse(displayName.value);
    return checked.success ? null : (checked.error.issues[0]?.message ?? null);
  });

  async function run(what: string, action: () => Promise<Me>) {
    busy.value = true;
    done.value = null;
    error.value = null;
    try {
      onSaved(await action());
      done.value = what;
    } catch (err) {
      error.value =
        err instanceof ApiError
          ? { field: err.field, message: err.message }
          : { message: err instanceof Error ? err.message : 'Something went wrong. Try again.' };
    } finally {
      busy.value = false;
    }
  }

  const save = (e: Event) => {
    e.preventDefault();
    if (nameProblem.value) {
      document.getElementById('profile-display-name')?.focus();
      return;
    }
    const text = statusText.value.trim();
    const emoji = statusEmoji.value.trim();
    void run('Profile saved.', async () => {
      const saved = await api.updateProfile({
        displayName: displayName.value.trim() || null,
        status:
          text || emoji
            ? {
                text,
                emoji: emoji || null,
                minutes: minutesFor(clearAfter.value, me.status?.until),
              }
            : null,
        dnd: dnd.value,
        timeZone: timeZone.value || null,
        readReceipts: receipts.value,
      });
      // Saved by the person: their zone now, no longer the device's to follow.
      rememberAutoZone(saved.id, null);
      return saved;
    });
  };

  const pickAvatar = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    void run('Picture changed.', async () => {
      const json = await uploadAvatar(await squareAvatar(file));
      const parsed = userResponse.safeParse(json);
      if (!parsed.success) throw new Error('The server sent an unexpected answer.');
      return parsed.data.user;
    });
  };

  const fieldError = (field: string) =>
    error.value?.field?.startsWith(field) ? error.value.message : undefined;

  return (
    <Dialog title="Your profile" testId="profile" onClose={onClose}>
      <div class="profile-avatar-row">
        <Avatar user={me} size={72} />
        <div class="stack">
          <label class="file-button">
            <input
              type="file"
              accept="image/png,image/jpeg,image/webp"
              data-testid="avatar-input"
              onChange={(e) => pickAvatar(e.currentTarget)}
            />
            Choose a picture…
          </label>
          {me.avatar && (
            <button
              type="button"
              class="link-button"
              data-testid="avatar-remove"
              onClick={() =>
                void run('Picture removed.', () => api.updateProfile({ avatar: null }))
              }
            >
              Remove picture
            </button>
          )}
          <p class="hint">Cropped to a square and made small on this device before it is sent.</p>
        </div>
      </div>
      <form class="stack" onSubmit={save} data-testid="profile-form">
        <Field
          id="profile-display-name"
          label="Display name"
          value={displayName}
          maxLength={
            PROFILE_LIMITS.displayNameChars +
            displayName.value.length -
            codePoints(displayName.value)
          }
          error={nameProblem.value ?? fieldError('displayName')}
          hint={
            <p class="hint">
              Shown instead of your username <bdi>@{me.name}</bdi>, which stays for signing in and
              mentions. Leave empty to show your username.
            </p>
          }
        />
        <fieldset class="stack">
          <legend>Status</legend>
          <div class="status-inputs">
            <Field
              id="profile-status-emoji"
              label="Emoji"
              value={statusEmoji}
              maxLength={16}
              error={fieldError('status.emoji')}
            />
            <Field
              id="profile-status-text"
              label="What are you up to?"
              value={statusText}
              maxLength={PROFILE_LIMITS.statusChars * 2}
              error={fieldError('status.text')}
            />
          </div>
          <label class="field">
            Clear after
            <select
              data-testid="profile-status-clear"
              value={clearAfter.value}
              onChange={(e) => (clearAfter.value = e.currentTarget.value)}
            >
              {me.status?.until && (
                <option value="keep">As set: until {untilText(me.status.until)}</option>
              )}
              {CLEAR_AFTER.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <label class="check">
          <input
            type="checkbox"
            data-testid="profile-dnd"
            checked={dnd.value}
            onChange={(e) => (dnd.value = e.currentTarget.checked)}
          />
          Do not disturb (shown on your picture)
        </label>
        <label class="field">
          Time zone (for the local time on your profile card)
          <select
            data-testid="profile-time-zone"
            value={timeZone.value}
            onChange={(e) => (timeZone.value = e.currentTarget.value)}
          >
            {!zones.includes(timeZone.value) && (
              <option value={timeZone.value}>{timeZone.value}</option>
            )}
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            data-testid="profile-receipts"
            checked={receipts.value}
            onChange={(e) => (receipts.value = e.currentTarget.checked)}
          />
          Read receipts in direct messages. When off, others do not see when you have read their
          messages, and you do not see when they have read yours.
        </label>
        <div class="inline-actions">
          <button type="submit" class="primary" data-testid="profile-save" disabled={busy.value}>
            Save profile
          </button>
          {done.value && (
            <span role="status" data-testid="profile-done">
              {done.value}
            </span>
          )}
        </div>
        {error.value && !fieldError('displayName') && !fieldError('status') && (
          <p class="form-error" role="alert" data-testid="profile-error">
            {error.value.message}
          </p>
        )}
      </form>
    </Dialog>
  );
}
