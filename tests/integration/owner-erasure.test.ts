/**
 * A room whose owner deletes their account passes to its longest-serving moderator, else its
 * longest-standing member (src/worker/account/erasure.ts `passOwnership`), as an
 * `owner_changed` notice in the room's order; without it nobody could manage the room again.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, drain, guest, noticeOf, openRoom, uniqueName, type Guest } from '../helpers';
import { continueErasure } from '../../src/worker/account/erasure';

/** A private room of `owner` with `people` invited in this order. */
async function privateRoom(owner: Guest, people: Guest[]): Promise<string> {
  const res = await call('POST', '/rooms', owner.token, {
    name: uniqueName('kept'),
    private: true,
  });
  expect(res.status).toBe(201);
  const { room } = (await res.json()) as { room: { id: string } };
  for (const p of people)
    expect(
      (await call('POST', `/rooms/${room.id}/members`, owner.token, { userId: p.id })).status,
    ).toBe(200);
  return room.id;
}

async function deleteAccount(user: Guest): Promise<void> {
  expect((await call('POST', '/me/delete', user.token, { confirm: true })).status).toBe(200);
}

async function ownerOf(roomId: string): Promise<string | null> {
  const row = await env.DB.prepare('SELECT owner_id FROM rooms WHERE id = ?1')
    .bind(roomId)
    .first<{ owner_id: string | null }>();
  return row?.owner_id ?? null;
}

async function ownerNotices(roomId: string): Promise<{ subject_id: string; actor_id: string }[]> {
  await drain(roomId);
  const { results } = await env.DB.prepare(
    `SELECT subject_id, actor_id FROM room_notices WHERE room_id = ?1 AND kind = 'owner_changed'`,
  )
    .bind(roomId)
    .all<{ subject_id: string; actor_id: string }>();
  return results;
}

describe('an owner who deletes their account', () => {
  it('leaves the room to its longest-serving moderator, who can then manage it', async () => {
    const [owner, member, mod, newcomer] = [
      await guest(),
      await guest(),
      await guest(),
      await guest(),
    ];
    const roomId = await privateRoom(owner, [member, mod]);
    expect((await call('PUT', `/rooms/${roomId}/moderators/${mod.id}`, owner.token)).status).toBe(
      200,
    );
    const watching = await openRoom(roomId, member.token);

    await deleteAccount(owner);

    const notice = await watching.q.take(noticeOf('owner_changed'), 5000, 'the owner notice');
    const { actor, subject } = notice.notice as {
      actor: { id: string; name: string };
      subject: { id: string };
    };
    expect(subject.id).toBe(mod.id);
    expect(actor).toMatchObject({ id: owner.id, name: 'Deleted user' });
    expect(await ownerOf(roomId)).toBe(mod.id);
    const { room } = (await (await call('GET', `/rooms/${roomId}/admin`, mod.token)).json()) as {
      room: { owner: { id: string }; role: string };
    };
    expect(room).toMatchObject({ owner: { id: mod.id }, role: 'owner' });
    // What nobody could do before: change the room and let someone in.
    expect(
      (await call('PATCH', `/rooms/${roomId}`, mod.token, { topic: 'carried on' })).status,
    ).toBe(200);
    expect(
      (await call('POST', `/rooms/${roomId}/members`, mod.token, { userId: newcomer.id })).status,
    ).toBe(200);
  });

  it('leaves a room without moderators to the member who joined first, once however often it resumes', async () => {
    const [owner, first, second] = [await guest(), await guest(), await guest()];
    const roomId = await privateRoom(owner, [first, second]);
    await deleteAccount(owner);
    expect(await ownerOf(roomId)).toBe(first.id);
    // A resumed deletion (the scheduled sweep) finds the room owned already: no second notice.
    await continueErasure(env, owner.id);
    expect(await ownerNotices(roomId)).toEqual([{ subject_id: first.id, actor_id: owner.id }]);
  });

  it('leaves a room nobody else is in without an owner, and still finishes the deletion', async () => {
    const owner = await guest();
    const roomId = await privateRoom(owner, []);
    await deleteAccount(owner);
    expect(await ownerOf(roomId)).toBe(owner.id);
    expect(await ownerNotices(roomId)).toEqual([]);
    const row = await env.DB.prepare('SELECT finished_at FROM account_erasures WHERE user_id = ?1')
      .bind(owner.id)
      .first<{ finished_at: number | null }>();
    expect(row?.finished_at).not.toBeNull();
  });
});
