/** Reading and changing who this user blocks (blocked.ts holds the answer for the app). */
import { ok, usersResponse } from '../../shared/responses';
import type { UserRef } from '../../shared/protocol';
import type { Http } from '../api/http';
import { blockedIds } from './blocked';

/** Reads the list from the server; the people, latest blocked first. */
export async function loadBlocked(http: Pick<Http, 'get'>): Promise<UserRef[]> {
  const { users } = await http.get('/api/me/blocks', usersResponse);
  blockedIds.value = new Set(users.map((u) => u.id));
  return users;
}

/** Blocks or unblocks `userId`; the app follows once the server has it. */
export async function setBlocked(
  http: Pick<Http, 'send'>,
  userId: string,
  on: boolean,
): Promise<void> {
  await http.send(on ? 'PUT' : 'DELETE', `/api/me/blocks/${encodeURIComponent(userId)}`, {}, ok);
  const next = new Set(blockedIds.peek());
  if (on) next.add(userId);
  else next.delete(userId);
  blockedIds.value = next;
}
