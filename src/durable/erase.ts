/**
 * What a deleted account leaves in one room: each of its messages not yet deleted (in D1 or
 * still only in the log) and each reaction it holds. The room turns them into ordinary
 * `delete` and reaction-off events in its one order, so live clients, resumes, D1, the search
 * index (its triggers drop deleted rows) and the log (texts blanked) all converge on the same
 * state with no new kind of frame.
 */
import type { EventLog } from './event-log';

/** The storage key that makes this room refuse erasures, honoured only when `TEST_FAULTS`. */
export const ERASE_FAULT_KEY = 'fault:erase';

/**
 * Under the workerd tests only (`TEST_FAULTS=1`), a room whose own storage holds
 * ERASE_FAULT_KEY refuses to erase: a real failure of one room's object, to prove that an
 * account deletion resumes (tests/integration/account-erasure.test.ts).
 */
export async function refuseIfFaulted(env: Env, storage: DurableObjectStorage): Promise<void> {
  if (env.TEST_FAULTS !== '1') return;
  if (await storage.get(ERASE_FAULT_KEY))
    throw new Error('This room refuses erasures (test fault)');
}

/** The seqs of `userId`'s messages here that no event has deleted yet, oldest first. */
export async function messagesOf(
  db: D1Database,
  log: EventLog,
  roomId: string,
  userId: string,
): Promise<number[]> {
  // Served by the unique index on (room_id, author_id, client_id).
  const { results } = await db
    .prepare('SELECT seq FROM messages WHERE room_id = ? AND author_id = ? AND deleted_at IS NULL')
    .bind(roomId, userId)
    .all<{ seq: number }>();
  const seqs = new Set(results.map((r) => r.seq));
  for (const seq of log.messagesBy(userId)) seqs.add(seq);
  // Asked after the await: a delete appended meanwhile counts.
  return [...seqs].filter((seq) => !log.hasDelete(seq)).sort((a, b) => a - b);
}
