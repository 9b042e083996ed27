/** The room admin routes (issue 12) as the client calls them. */
import * as r from '../../shared/moderation-responses';
import { membersResponse, usersResponse } from '../../shared/responses';
import type { Api } from '../api/endpoints';

export function createRoomAdminApi(api: Api, roomId: string) {
  const base = `/api/rooms/${encodeURIComponent(roomId)}`;
  const change = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown = {}) =>
    api.send(method, base + path, body, r.changed);
  return {
    admin: () => api.get(`${base}/admin`, r.roomAdminResponse).then((x) => x.room),
    update: (body: { name?: string; topic?: string | null; description?: string | null }) =>
      change('PATCH', '', body),
    setModerator: (userId: string, on: boolean) =>
      change(on ? 'PUT' : 'DELETE', `/moderators/${encodeURIComponent(userId)}`),
    transfer: (userId: string) => change('POST', '/owner', { userId }),
    archive: (archived: boolean) => change('PUT', '/archive', { archived }),
    privacy: (isPrivate: boolean) => change('PUT', '/privacy', { private: isPrivate }),
    slowMode: (seconds: number) => change('PUT', '/slow-mode', { seconds }),
    remove: () => change('DELETE', ''),
    members: (q: string) =>
      api
        .get(`${base}/members?q=${encodeURIComponent(q)}&limit=20`, membersResponse)
        .then((x) => x.members),
    addMember: (userId: string) => change('POST', '/members', { userId }),
    removeMember: (userId: string) => change('DELETE', `/members/${encodeURIComponent(userId)}`),
    bans: () => api.get(`${base}/bans`, r.bansResponse).then((x) => x.bans),
    ban: (userId: string) => change('PUT', `/bans/${encodeURIComponent(userId)}`),
    unban: (userId: string) => change('DELETE', `/bans/${encodeURIComponent(userId)}`),
    invites: () => api.get(`${base}/invites`, r.invitesResponse).then((x) => x.invites),
    createInvite: (expiresInSeconds: number, maxUses: number) =>
      api
        .send('POST', `${base}/invites`, { expiresInSeconds, maxUses }, r.inviteResponse)
        .then((x) => x.invite),
    revokeInvite: (id: string) => change('DELETE', `/invites/${encodeURIComponent(id)}`),
    audit: () => api.get(`${base}/audit`, r.auditResponse).then((x) => x.entries),
    users: (prefix: string) =>
      api
        .get(`/api/users?prefix=${encodeURIComponent(prefix)}`, usersResponse)
        .then((x) => x.users),
  };
}

export type RoomAdminApi = ReturnType<typeof createRoomAdminApi>;

const apis = new WeakMap<object, RoomAdminApi>();

/** The admin calls of an open room's state (rooms/model.ts), made once per room. */
export function adminApiOf(room: { baseApi: Api; roomId: string }): RoomAdminApi {
  let made = apis.get(room);
  if (!made) apis.set(room, (made = createRoomAdminApi(room.baseApi, room.roomId)));
  return made;
}

/** `GET /api/invites/:token`: the room a link invites to, spending nothing. */
export function readInvite(api: Api, token: string) {
  return api.get(`/api/invites/${encodeURIComponent(token)}`, r.inviteAnswer);
}

/** `POST /api/invites/:token`: joins the link's room, answering its id. */
export function acceptInvite(api: Api, token: string) {
  return api
    .send('POST', `/api/invites/${encodeURIComponent(token)}`, {}, r.joinedByInvite)
    .then((x) => x.roomId);
}
