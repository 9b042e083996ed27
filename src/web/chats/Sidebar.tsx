/** The left column: who you are, what you can start, and your chats. */
import type { Store } from '../app/store';
import { ConnectionStatus } from '../connection/ConnectionStatus';
import { DoNotDisturb } from '../notifications/DoNotDisturb';
import { SignOut } from '../session/SignOut';
import { shownName } from '../../shared/profile';
import { Avatar } from '../profile/Avatar';
import { ChatList } from './ChatList';

export type SidebarDialog =
  'create' | 'browse' | 'people' | 'settings' | 'claim' | 'search' | 'profile';

const THEME_NEXT = { system: 'light', light: 'dark', dark: 'system' } as const;

export function Sidebar({
  store,
  onDialog,
}: {
  store: Store;
  onDialog: (d: SidebarDialog) => void;
}) {
  const me = store.session.me.value!;
  const { chats, settings } = store;
  const theme = settings.theme.value;
  const lobby = store.lobby.value;

  return (
    <nav class="sidebar" aria-label="Chats">
      <header class="sidebar-header">
        <h1 class="brand">Parlor</h1>
        <button
          type="button"
          class="icon-button"
          data-testid="theme-toggle"
          data-theme={theme}
          aria-label={`Theme: ${theme}. Switch to ${THEME_NEXT[theme]}`}
          title={`Theme: ${theme}`}
          onClick={settings.cycleTheme}
        >
          {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
        </button>
        <button
          type="button"
          class="icon-button"
          data-testid="settings-button"
          aria-label="Settings"
          title="Settings"
          onClick={() => onDialog('settings')}
        >
          ⚙
        </button>
      </header>
      <div class="me" data-testid="me" data-user-id={me.id}>
        <button
          type="button"
          class="person-button"
          data-testid="profile-button"
          aria-label="Your profile"
          title="Your profile"
          onClick={() => onDialog('profile')}
        >
          <Avatar user={me} size={32} />
        </button>
        <span class="me-name">
          <bdi>{shownName(me)}</bdi>
          {me.guest && <span class="tag">guest</span>}
        </span>
        <SignOut session={store.session} onClaim={() => onDialog('claim')} />
      </div>
      <DoNotDisturb attention={store.attention} />
      {me.guest && (
        <p class="guest-banner">
          You are a guest.{' '}
          <button
            type="button"
            class="link-button"
            data-testid="claim-button"
            onClick={() => onDialog('claim')}
          >
            Set a password
          </button>{' '}
          to keep this name.
        </p>
      )}
      <div class="sidebar-actions">
        <button
          type="button"
          class="search-button"
          data-testid="search-button"
          aria-keyshortcuts="Control+K Meta+K /"
          title="Search messages (Ctrl+K or /)"
          onClick={() => onDialog('search')}
        >
          Search messages
        </button>
        <button type="button" data-testid="new-room-button" onClick={() => onDialog('create')}>
          + New room
        </button>
        <button type="button" data-testid="browse-rooms-button" onClick={() => onDialog('browse')}>
          Browse rooms
        </button>
        <button type="button" data-testid="find-people-button" onClick={() => onDialog('people')}>
          Find people
        </button>
      </div>
      {chats.error.value && (
        <p class="form-error" role="alert">
          {chats.error.value}{' '}
          <button type="button" class="link-button" onClick={() => void chats.refresh()}>
            Retry
          </button>
        </p>
      )}
      {!chats.loaded.value && <p class="placeholder">Loading chats…</p>}
      {chats.totalUnread.value > 0 && (
        <button
          type="button"
          class="link-button read-all"
          data-testid="read-all"
          aria-keyshortcuts="Shift+Escape"
          title="Mark all as read (Shift+Esc)"
          onClick={() => void chats.readAll()}
        >
          Mark all as read
        </button>
      )}
      <ChatList
        chats={chats.sorted.value}
        current={store.router.roomId.value}
        presence={store.presence}
        presenceKnown={lobby?.state.value === 'open'}
        nameOf={(author) => shownName(store.names.current(author))}
        person={(u) => store.presence.get(u.id) ?? store.names.current(u)}
        nameOfId={store.names.nameOf}
        meId={me.id}
        onOpen={(id) => store.router.open(id)}
      />
      <footer class="sidebar-footer">
        <ConnectionStatus
          state={lobby?.state}
          onRetry={lobby?.reconnectNow}
          testId="lobby-status"
        />
      </footer>
    </nav>
  );
}
