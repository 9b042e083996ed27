/** Every `/api/*` call the client makes, typed end to end. */
import type * as z from 'zod/mini';
import type { createRoomBody, loginBody, registerBody } from '../../shared/api';
import type { VisitorBody } from '../../shared/embed-origins';
import type { Http } from './http';
import { dndResponse, notifyLevelResponse, type NotifyLevel } from '../../shared/attention';
import type { profileBody } from '../../shared/profile';
import { profileResponse, receiptResponse } from '../../shared/profile';
import * as zm from 'zod/mini';
import * as r from '../../shared/responses';

const profileCardResponse = zm.extend(profileResponse, { user: r.personResponse.shape.user });

const room = (id: string) => `/api/rooms/${encodeURIComponent(id)}`;

/** `tokenAuth`: ask auth calls for the session token too (the widget cannot use cookies). */
export function createApi(http: Http, tokenAuth = false) {
  const auth = (path: string) => `/api/auth/${path}${tokenAuth ? '?token=1' : ''}`;
  const post = <S extends z.ZodMiniType>(path: string, body: unknown, schema: S) =>
    http.send('POST', path, body, schema);

  return {
    me: () => http.get('/api/me', r.userResponse).then((x) => x.user),
    register: (body: z.input<typeof registerBody>) =>
      post(auth('register'), body, r.userResponse).then((x) => x.user),
    login: (body: z.input<typeof loginBody>) =>
      post(auth('login'), body, r.userResponse).then((x) => x.user),
    guest: (name: string) => post(auth('guest'), { name }, r.userResponse).then((x) => x.user),
    /** A widget visitor (src/worker/embed/visitors.ts): the answer carries its token. */
    visitor: (body: VisitorBody) => post('/api/visitors', body, r.userResponse).then((x) => x.user),
    /** What a visitor who has not written yet sees of the room: its latest messages. */
    visitorPreview: (room: string, origin: string) =>
      http
        .get(`/api/visitors/preview?${new URLSearchParams({ room, origin })}`, r.visitorPreview)
        .then((x) => x.messages),
    claim: (password: string) =>
      post(auth('claim'), { password }, r.userResponse).then((x) => x.user),
    logout: () => post('/api/auth/logout', {}, r.ok),
    /** An explicit rename: every chat and the lobby announce the new name. */
    rename: (username: string) =>
      http.send('PATCH', '/api/me', { username }, r.userResponse).then((x) => x.user),

    chats: () => http.get('/api/chats', r.chatsResponse).then((x) => x.chats),
    /** One chat's row as the list has it; 404 `not_found` once it is not the user's. */
    chat: (id: string) =>
      http.get(`/api/chats/${encodeURIComponent(id)}`, r.chatResponse).then((x) => x.chat),
    rooms: (query: { q?: string; cursor?: string | null } = {}) => {
      const params = new URLSearchParams();
      if (query.q) params.set('q', query.q);
      if (query.cursor) params.set('cursor', query.cursor);
      const search = params.size ? `?${params}` : '';
      return http.get(`/api/rooms${search}`, r.roomsResponse);
    },
    /** A room's name, topic and who is online in it, for a visitor who has not joined. */
    room: (id: string) => http.get(room(id), r.roomDetailResponse),
    createRoom: (body: z.input<typeof createRoomBody>) =>
      post('/api/rooms', body, r.roomResponse).then((x) => x.room),
    /** One person by id (a mention of someone not seen yet). */
    user: (id: string) =>
      http.get(`/api/users/${encodeURIComponent(id)}`, r.personResponse).then((x) => x.user),
    /** Members of a chat whose username starts with `q` (mention autocomplete). */
    members: (id: string, q: string) =>
      http
        .get(`${room(id)}/members?q=${encodeURIComponent(q)}`, r.membersResponse)
        .then((x) => x.members),
    joinRoom: (id: string) => post(`${room(id)}/join`, {}, r.joinedResponse),
    /** Closes a DM: out of the chat list until a newer message (or opening it again). */
    closeChat: (id: string) =>
      http
        .send('PUT', `/api/chats/${encodeURIComponent(id)}/closed`, {}, r.chatResponse)
        .then((x) => x.chat),
    leaveRoom: (id: string) => post(`${room(id)}/leave`, {}, r.ok),
    history: (id: string, limit: number, before?: number) =>
      http.get(
        `${room(id)}/messages?limit=${limit}${before ? `&before=${before}` : ''}`,
        r.historyPage,
      ),
    /**
     * The room owner's embedding settings (docs/widget.md). Their schemas load with the
     * dialog that uses them, not with the first screen.
     */
    embedOrigins: async (id: string) => {
      const { embedOriginsResponse } = await import('../../shared/embed');
      return http.get(`${room(id)}/embed-origins`, embedOriginsResponse);
    },
    setEmbedOrigins: async (id: string, origins: string[]) => {
      const { embedOriginsResponse } = await import('../../shared/embed');
      return http.send('PUT', `${room(id)}/embed-origins`, { origins }, embedOriginsResponse);
    },
    identitySecret: async (id: string) => {
      const { identitySecretStatus } = await import('../../shared/embed');
      return http.get(`${room(id)}/identity-secret`, identitySecretStatus);
    },
    newIdentitySecret: async (id: string) => {
      const { identitySecretResponse } = await import('../../shared/embed');
      return post(`${room(id)}/identity-secret`, {}, identitySecretResponse);
    },
    markRead: (id: string, seq: number) => http.send('PUT', `${room(id)}/read`, { seq }, r.ok),
    /** This user's notification level for a chat (src/shared/attention.ts). */
    setNotifyLevel: (id: string, level: NotifyLevel) =>
      http.send('PUT', `${room(id)}/notify`, { level }, notifyLevelResponse),
    dnd: () => http.get('/api/me/dnd', dndResponse).then((x) => x.until),
    setDnd: (until: number | null) =>
      http.send('PUT', '/api/me/dnd', { until }, dndResponse).then((x) => x.until),

    users: (prefix: string) =>
      http
        .get(`/api/users?prefix=${encodeURIComponent(prefix)}`, r.usersResponse)
        .then((x) => x.users),
    openDm: (userId: string) => post('/api/dms', { userId }, r.chatResponse).then((x) => x.chat),
    /** Opens (creating once) the group DM of the caller and these 2–7 people. */
    openGroupDm: (userIds: string[]) =>
      post('/api/dms/group', { userIds }, r.chatResponse).then((x) => x.chat),
    /** Profiles (src/web/profile/): a person's card, changing one's own, away/active. */
    profileCard: (id: string) =>
      http.get(`/api/users/${encodeURIComponent(id)}/profile`, profileCardResponse),
    updateProfile: (body: z.input<typeof profileBody>) =>
      http.send('PATCH', '/api/me/profile', body, r.userResponse).then((x) => x.user),
    reportPresence: (state: 'active' | 'away') =>
      http.send('PUT', '/api/me/presence', { state }, r.userResponse).then((x) => x.user),
    /** How far the other member of a DM has read (a group's: each member's, `reads`). */
    receipt: (id: string) => http.get(`${room(id)}/receipt`, receiptResponse),
    /** Any GET, for features loaded on demand that bring their own schemas (search). */
    get: http.get,
    /** Any change, for features that bring their own schemas (account care, room moderation). */
    send: http.send,
  };
}

export type Api = ReturnType<typeof createApi>;
