/** Who is signed in, and the actions that change it. */
import { computed, signal } from '@preact/signals';
import type { Me } from '../../shared/api';
import { ApiError } from '../api/http';
import type { Api } from '../api/endpoints';
import type { TokenStore } from './token';

export type SessionStatus = 'loading' | 'signed-out' | 'signed-in';

export function createSession(api: Api, tokens?: TokenStore) {
  const me = signal<Me | null>(null);
  const loaded = signal(false);
  const status = computed<SessionStatus>(() =>
    !loaded.value ? 'loading' : me.value ? 'signed-in' : 'signed-out',
  );

  function signedIn(user: Me): Me {
    if (user.token) tokens?.set(user.token);
    me.value = user;
    loaded.value = true;
    return user;
  }

  async function load() {
    try {
      if (tokens && !tokens.get()) me.value = null;
      else me.value = await api.me();
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) console.warn(err);
      me.value = null;
    }
    loaded.value = true;
  }

  return {
    me,
    status,
    load,
    /** The session ended elsewhere (expired, revoked): back to the sign-in screen. */
    lost() {
      tokens?.set(null);
      me.value = null;
    },
    /** Checks with the server whether the session still holds, e.g. after sockets keep failing. */
    async recheck() {
      if (!me.value) return;
      try {
        await api.me();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) me.value = null;
      }
    },
    register: (username: string, password: string, email?: string) =>
      api.register({ username, password, email }).then(signedIn),
    login: (username: string, password: string) => api.login({ username, password }).then(signedIn),
    guest: (name: string) => api.guest(name).then(signedIn),
    /** A user signed in by other means (a widget visitor just made), token included. */
    adopt: (user: Me) => signedIn(user),
    claim: (password: string) => api.claim(password).then(signedIn),
    async logout() {
      try {
        await api.logout();
      } finally {
        tokens?.set(null);
        me.value = null;
      }
    },
  };
}

export type Session = ReturnType<typeof createSession>;
