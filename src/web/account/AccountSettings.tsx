/**
 * The account part of Settings (issue 12), loaded the first time Settings opens: password,
 * email, sessions, blocked people and deletion. Names and profiles are edited elsewhere in the dialog.
 */
import { useMemo } from 'preact/hooks';
import type { Me } from '../../shared/api';
import type { Http } from '../api/http';
import { accountApi } from './api';
import { BlockedPeople } from './BlockedPeople';
import { ChangePassword } from './ChangePassword';
import { DeleteAccount } from './DeleteAccount';
import { EmailForm } from './EmailForm';
import { Sessions } from './Sessions';
import './account.css';

export interface AccountSettingsProps {
  http: Pick<Http, 'get' | 'send'>;
  me: Me;
  /** This browser's session ended (signed out here, or the account deleted). */
  onSignedOut: () => void;
}

export function AccountSettings({ http, me, onSignedOut }: AccountSettingsProps) {
  const api = useMemo(() => accountApi(http), [http]);
  return (
    <>
      {!me.guest && (
        <fieldset class="stack" data-testid="account-password">
          <legend>Password</legend>
          <ChangePassword api={api} username={me.username} />
        </fieldset>
      )}
      {!me.guest && (
        <fieldset class="stack">
          <legend>Email</legend>
          <EmailForm api={api} />
        </fieldset>
      )}
      <fieldset class="stack">
        <legend>Where you are signed in</legend>
        <Sessions api={api} onSignedOut={onSignedOut} />
      </fieldset>
      <fieldset class="stack">
        <legend>Blocked people</legend>
        <BlockedPeople http={http} />
      </fieldset>
      <fieldset class="stack">
        <legend>Delete account</legend>
        <DeleteAccount api={api} me={me} onDeleted={onSignedOut} />
      </fieldset>
    </>
  );
}
