/**
 * Issue 10, "visitor accounts are marked as such everywhere they appear": a widget visitor
 * (`kind: 'visitor'`) and a site's identified user (`kind: 'identified'`) carry their kind
 * and site in every `UserRef` — live frames, replays, history, search, the members list the
 * mention autocomplete reads, profiles — and an identified user with an account's name is
 * never that account.
 */
import { exports } from 'cloudflare:workers';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../socket-client';
import {
  api,
  connect,
  drain,
  embeddedRoom,
  guest,
  history,
  openRoom,
  ORIGIN,
  register,
  say,
  SITE,
  visitorOf,
} from '../helpers';

interface Ref {
  id: string;
  name: string;
  guest: boolean;
  kind?: string;
  site?: string;
}

async function identified(roomId: string, ownerToken: string, sub: string, name: string) {
  const made = await api(`/rooms/${roomId}/identity-secret`, {
    method: 'POST',
    json: {},
    token: ownerToken,
  });
  const { secret } = (await made.json()) as { secret: string };
  // `avatar` is accepted and ignored: never fetched, stored or shown.
  const jwt = await new SignJWT({ name, avatar: 'https://tracker.example/who-reads.png' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience(roomId)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
  const res = await exports.default.fetch(`${ORIGIN}/api/embed/${roomId}/identify`, {
    method: 'POST',
    headers: { origin: SITE, 'content-type': 'application/json' },
    body: JSON.stringify({ token: jwt }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { user: Ref & { token: string } }).user;
}

/** The ref's identity and mark only (profile fields aside). */
const mark = (u: Ref) => ({ id: u.id, name: u.name, kind: u.kind, site: u.site });

async function searchHits(token: string, q: string) {
  const res = await api(`/search?${new URLSearchParams({ q })}`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: { seq: number; author: Ref }[] }).results;
}

const word = () => `w${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;

describe('a widget user’s mark', () => {
  it('travels with a visitor in live frames, replays, history, search and the members list', async () => {
    const { owner, room } = await embeddedRoom([SITE]);
    const visitor = await visitorOf(room.id);
    const expected = { id: visitor.id, name: visitor.name, kind: 'visitor', site: SITE };
    expect(mark(visitor)).toEqual(expected);

    const watcher = await openRoom(room.id, owner.token);
    const { socket } = await connect(`/rooms/${room.id}/ws`, visitor.token, { origin: SITE });
    await socket!.q.take((f) => f.type === 'hello');
    // The owner's socket hears the visitor arrive, marked.
    const online = await watcher.q.take(
      (f) => f.type === 'online' && (f.user as Ref | undefined)?.id === visitor.id,
    );
    expect(mark(online.user as Ref)).toEqual(expected);
    const text = `hello ${word()}`;
    const ack = await say(socket!, text);
    const live = await watcher.q.take((f) => f.type === 'message' && f.seq === ack.seq);
    expect(mark((live.message as { author: Ref }).author)).toEqual(expected);

    socket!.send({ type: 'react', target: ack.seq, emoji: '👍', on: true });
    const reacted = await watcher.q.take((f) => f.type === 'reaction' && f.target === ack.seq);
    expect(mark(reacted.user as Ref)).toEqual(expected);

    // A reconnect's replay comes from the room's own log (a reaction's user: its own column).
    const again = await openRoom(room.id, owner.token, (ack.seq as number) - 1);
    await again.q.take((f) => f.type === 'caught_up');
    const replayed = again.q.frames.find((f: Frame) => f.type === 'message' && f.seq === ack.seq);
    expect(replayed && mark((replayed.message as { author: Ref }).author)).toEqual(expected);
    const replayedReaction = again.q.frames.find((f: Frame) => f.type === 'reaction');
    expect(replayedReaction && mark(replayedReaction.user as Ref)).toEqual(expected);

    await drain(room.id);
    const page = await history(room.id, owner.token);
    const stored = page.messages.find((m) => m.seq === ack.seq) as unknown as { author: Ref };
    expect(mark(stored.author)).toEqual(expected);

    const hits = await searchHits(owner.token, text.split(' ')[1]!);
    expect(hits.map((h) => mark(h.author))).toEqual([expected]);

    const members = await api(`/rooms/${room.id}/members?q=${encodeURIComponent(visitor.name)}`, {
      token: owner.token,
    });
    const listed = ((await members.json()) as { members: Ref[] }).members;
    expect(listed.map(mark)).toEqual([expected]);

    const profile = await api(`/users/${visitor.id}/profile`, { token: owner.token });
    expect(mark(((await profile.json()) as { user: Ref }).user)).toEqual(expected);
    for (const s of [watcher, again, socket!]) s.close();
  });

  it('marks an identified user with the site, never as the account of the same name', async () => {
    const { owner, room } = await embeddedRoom([SITE]);
    const account = await register();
    const join = await api(`/rooms/${room.id}/join`, {
      method: 'POST',
      json: {},
      token: account.token,
    });
    expect(join.status).toBe(200);
    const site = await identified(room.id, owner.token, 'sub-1', account.username);
    expect(site.id).not.toBe(account.id);
    const expected = { id: site.id, name: account.username, kind: 'identified', site: SITE };
    expect(mark(site)).toEqual(expected);
    expect((site as { avatar?: string }).avatar).toBeUndefined();

    const watcher = await openRoom(room.id, owner.token);
    const real = await openRoom(room.id, account.token);
    const { socket: fake } = await connect(`/rooms/${room.id}/ws`, site.token, { origin: SITE });
    await fake!.q.take((f) => f.type === 'hello');
    const w = word();
    const fromAccount = await say(real, `account ${w}`);
    const fromSite = await say(fake!, `site ${w}`);
    const authorOf = async (seq: unknown) =>
      (
        (await watcher.q.take((f) => f.type === 'message' && f.seq === seq)).message as {
          author: Ref;
        }
      ).author;
    // Same name on the wire; only the mark tells them apart, and it always does.
    expect(mark(await authorOf(fromAccount.seq))).toEqual({
      id: account.id,
      name: account.username,
      kind: undefined,
      site: undefined,
    });
    expect(mark(await authorOf(fromSite.seq))).toEqual(expected);

    await drain(room.id);
    const page = await history(room.id, owner.token);
    const authors = page.messages
      .filter((m) => m.seq === fromAccount.seq || m.seq === fromSite.seq)
      .map((m) => mark((m as unknown as { author: Ref }).author));
    expect(authors).toEqual([
      { id: account.id, name: account.username, kind: undefined, site: undefined },
      expected,
    ]);
    const hits = await searchHits(owner.token, w);
    expect(hits.map((h) => h.author.kind)).toEqual(['identified', undefined]);

    // The mention autocomplete offers the account alone: a site's user holds no name.
    const members = await api(
      `/rooms/${room.id}/members?q=${encodeURIComponent(account.username)}`,
      { token: owner.token },
    );
    const listed = ((await members.json()) as { members: Ref[] }).members;
    expect(listed.map((u) => u.id)).toEqual([account.id]);
    for (const s of [watcher, real, fake!]) s.close();
  });
});
