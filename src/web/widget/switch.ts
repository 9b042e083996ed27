/**
 * "Use my Parlor account" for a visitor already chatting: the frame trades the visitor for the
 * account session Parlor's popup handed it (src/worker/embed/switch.ts). The visitor's token
 * goes only to Parlor's own origin, from this frame; the popup never sees it. The server
 * ends the visitor (sessions revoked, sockets closed) only once it has checked the account's
 * session, so a refusal leaves the visitor chatting as before.
 */
import type { Me } from '../../shared/api';
import { userResponse } from '../../shared/responses';
import { ApiError, createHttp } from '../api/http';

const as = (token: string) => createHttp({ token: () => token });

/** The account, once the visitor has ended; throws (the visitor goes on) when refused. */
export async function switchToAccount(roomId: string, visitor: string, account: string) {
  const path = `/api/rooms/${encodeURIComponent(roomId)}/widget-session/switch`;
  let user: Me;
  try {
    ({ user } = await as(visitor).send('POST', path, { token: account }, userResponse));
  } catch (err) {
    // 401: the visitor had ended already (logout elsewhere, expiry): nothing left to end.
    if (err instanceof ApiError && err.status === 401)
      return as(account)
        .get('/api/me', userResponse)
        .then((r) => r.user);
    // Not switched: the session the person allowed would sit unused, so it ends too.
    void as(account).send('POST', '/api/auth/logout', {}, userResponse).catch(Boolean);
    throw err;
  }
  return user;
}
