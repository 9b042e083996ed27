import type { Me } from '../../shared/api';
import type { Api } from '../api/endpoints';
import type { Notifications } from '../notifications/model';
import { AccountSection } from '../account/lazy';
import { Dialog } from '../ui/Dialog';
import type { Settings, Theme } from './model';
import { RenameForm } from './RenameForm';

interface SettingsProps {
  settings: Settings;
  notifications: Notifications;
  /** Who is signed in, and how to rename them; absent where renaming is not offered. */
  account?: { api: Api; me: Me; onRenamed: (me: Me) => void; onSignedOut: () => void };
  onClose: () => void;
}

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function SettingsDialog({ settings, notifications, account, onClose }: SettingsProps) {
  const denied = notifications.permission.value === 'denied';
  return (
    <Dialog title="Settings" testId="settings" onClose={onClose}>
      {account && (
        <fieldset class="stack">
          <legend>Name</legend>
          <RenameForm {...account} />
        </fieldset>
      )}
      {account && (
        <AccountSection http={account.api} me={account.me} onSignedOut={account.onSignedOut} />
      )}
      <fieldset class="stack">
        <legend>Theme</legend>
        {THEMES.map((t) => (
          <label class="check" key={t.value}>
            <input
              type="radio"
              name="theme"
              value={t.value}
              checked={settings.theme.value === t.value}
              onChange={() => (settings.theme.value = t.value)}
            />
            {t.label}
          </label>
        ))}
      </fieldset>
      <fieldset class="stack">
        <legend>Notifications</legend>
        <label class="check">
          <input
            type="checkbox"
            data-testid="sound-toggle"
            checked={settings.sound.value}
            onChange={(e) => notifications.setSound(e.currentTarget.checked)}
          />
          Play a sound for new messages in other chats
        </label>
        <label class="check">
          <input
            type="checkbox"
            data-testid="desktop-toggle"
            checked={settings.desktop.value}
            disabled={!notifications.supported || denied}
            onChange={(e) => void notifications.setDesktop(e.currentTarget.checked)}
          />
          Desktop notifications
        </label>
        {denied && (
          <p class="hint">Notifications are blocked for this site in your browser settings.</p>
        )}
      </fieldset>
      <p class="hint">
        Keyboard shortcuts: press <kbd>Ctrl</kbd>+<kbd>/</kbd> (or <kbd>?</kbd> outside a text
        field) for the list.
      </p>
    </Dialog>
  );
}
