/**
 * People are named the way messages name them (display name, else username) wherever the
 * server names them: notices in history pages and the audit list, a DM's name in the chat
 * list, its facts and search results, a replay's authors, and a room's admin lists.
 */
import { describe, expect, it } from 'vitest';
import {
  api,
  call,
  createRoom,
  drain,
  guest,
  history,
  join,
  moderatedRoom,
  openRoom,
  say,
  type Guest,
} from '../helpers';

async function showAs(who: Guest, displayName: string): Promise<void> {
  const res = await api('/me/profile', {
    method: 'PATCH',
    json: { displayName },
    token: who.token,
  });
  expect(res.status).toBe(200);
}

const shown = (prefix: string) => `${prefix} ${crypto.randomUUID().slice(0, 8)}`;

async function json<T>(path: string, token: string): Promise<T> {
  const res = await api(path, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

type Person = { id: string; name: string; displayName?: string };
type Notice = { seq: number; notice: { kind: string; actor: Person; subject: Person | null } };

describe('names as messages show them', () => {
  it('names a notice’s people as they are now, in history pages and the audit list', async () => {
    const { a, m, b, room, sa, sm, sb } = await moderatedRoom();
    expect((await call('PUT', `/rooms/${room.id}/bans/${b.id}`, m.token)).status).toBe(200);
    await drain(room.id);
    // Display names chosen after the notices were written.
    const [mShown, bShown] = [shown('Mod'), shown('Banned')];
    await showAs(m, mShown);
    await showAs(b, bShown);

    const page = (await history(room.id, a.token)) as unknown as { notices: Notice[] };
    const ban = page.notices.find((n) => n.notice.kind === 'banned')!;
    expect(ban.notice.actor).toMatchObject({ id: m.id, name: m.name, displayName: mShown });
    expect(ban.notice.subject).toMatchObject({ id: b.id, name: b.name, displayName: bShown });
    const joined = page.notices.find(
      (n) => n.notice.kind === 'joined' && n.notice.subject?.id === m.id,
    )!;
    expect(joined.notice.subject).toMatchObject({ displayName: mShown });

    const { entries } = await json<{ entries: Notice[] }>(`/rooms/${room.id}/audit`, a.token);
    const audited = entries.find((e) => e.notice.kind === 'banned')!;
    expect(audited.notice.actor).toMatchObject({ id: m.id, displayName: mShown });
    expect(audited.notice.subject).toMatchObject({ id: b.id, displayName: bShown });
    for (const s of [sa, sm, sb]) s.close();
  });

  it('names a pair or group DM after its people’s display names, in the list, its facts and search', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const [bShown, cShown] = [shown('Bee'), shown('Cee')];
    await showAs(b, bShown);
    await showAs(c, cShown);
    const pair = await call('POST', '/dms', a.token, { userId: b.id });
    const pairId = ((await pair.json()) as { chat: { id: string; name: string } }).chat.id;
    const group = await call('POST', '/dms/group', a.token, { userIds: [b.id, c.id] });
    expect(group.status).toBe(200);
    const groupChat = ((await group.json()) as { chat: { id: string; name: string } }).chat;
    const groupName = [
      [b, bShown],
      [c, cShown],
    ]
      .sort(([x], [y]) =>
        (x as Guest).name.toLowerCase() < (y as Guest).name.toLowerCase() ? -1 : 1,
      )
      .map(([, s]) => s)
      .join(', ');
    expect(groupChat.name).toBe(groupName);

    const word = `w${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const s = await openRoom(pairId, a.token);
    await say(s, `hello ${word}`);
    await drain(pairId);
    s.close();
    const { chats } = await json<{ chats: { id: string; name: string }[] }>('/chats', a.token);
    expect(chats.find((ch) => ch.id === pairId)?.name).toBe(bShown);
    const facts = await json<{ room: { name: string } }>(
      `/rooms/${encodeURIComponent(pairId)}`,
      a.token,
    );
    expect(facts.room.name).toBe(bShown);
    const found = await json<{ results: { roomName: string }[] }>(
      `/search?${new URLSearchParams({ q: word })}`,
      a.token,
    );
    expect(found.results.map((r) => r.roomName)).toEqual([bShown]);
  });

  it('replays notices and reactions with their people’s display names, the current ones', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    const sent = await say(s, 'hello');
    await join(room.id, b.token);
    const sb = await openRoom(room.id, b.token);
    sb.send({ type: 'react', target: sent.seq, emoji: '👍', on: true });
    await sb.q.take((f) => f.type === 'reaction');
    await join(room.id, c.token);
    // Chosen after the events were written.
    const bShown = shown('Bee');
    await showAs(b, bShown);
    const sc = await openRoom(room.id, c.token, sent.seq as number);
    const end = await sc.q.take((f) => f.type === 'caught_up');
    const frames = sc.q.frames.splice(0).filter((f) => (f.seq as number) <= (end.seq as number));
    const joined = frames.find(
      (f) => f.type === 'notice' && (f.notice as Notice['notice']).actor.id === b.id,
    )!.notice as Notice['notice'];
    expect(joined.actor).toMatchObject({ id: b.id, name: b.name, displayName: bShown });
    expect(joined.subject).toMatchObject({ id: b.id, displayName: bShown });
    const reaction = frames.find((f) => f.type === 'reaction')!;
    expect(reaction.user).toMatchObject({ id: b.id, displayName: bShown });
    for (const socket of [s, sb, sc]) socket.close();
  });

  it('gives a room’s admin lists people with their display names', async () => {
    const { a, m, b, room, sa, sm, sb } = await moderatedRoom();
    const [aShown, mShown, bShown] = [shown('Owner'), shown('Mod'), shown('Banned')];
    await showAs(a, aShown);
    await showAs(m, mShown);
    await showAs(b, bShown);
    expect((await call('PUT', `/rooms/${room.id}/bans/${b.id}`, m.token)).status).toBe(200);
    expect(
      (
        await call('POST', `/rooms/${room.id}/invites`, m.token, {
          expiresInSeconds: 3600,
          maxUses: 5,
        })
      ).status,
    ).toBe(201);

    const admin = await json<{ room: { owner: Person; moderators: Person[] } }>(
      `/rooms/${room.id}/admin`,
      a.token,
    );
    expect(admin.room.owner).toMatchObject({ id: a.id, displayName: aShown });
    expect(admin.room.moderators).toMatchObject([{ id: m.id, displayName: mShown }]);
    const { bans } = await json<{ bans: { user: Person; by: Person }[] }>(
      `/rooms/${room.id}/bans`,
      a.token,
    );
    expect(bans).toMatchObject([
      { user: { id: b.id, displayName: bShown }, by: { id: m.id, displayName: mShown } },
    ]);
    const { invites } = await json<{ invites: { createdBy: Person }[] }>(
      `/rooms/${room.id}/invites`,
      a.token,
    );
    expect(invites).toMatchObject([{ createdBy: { id: m.id, displayName: mShown } }]);
    for (const s of [sa, sm, sb]) s.close();
  });
});
