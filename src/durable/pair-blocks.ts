/** Who blocks whom in a pair's DM, as D1 says now (src/worker/blocks.ts writes it). */
import { dmMembers } from '../shared/dm';

/** The members of pair DM `roomId` who block the other; none for any other chat. */
export async function pairBlockers(db: D1Database, roomId: string): Promise<string[]> {
  const members = dmMembers(roomId);
  if (members?.length !== 2) return [];
  const { results } = await db
    .prepare(
      `SELECT user_id FROM blocks
       WHERE (user_id = ?1 AND blocked_id = ?2) OR (user_id = ?2 AND blocked_id = ?1)`,
    )
    .bind(members[0], members[1])
    .all<{ user_id: string }>();
  return results.map((r) => r.user_id);
}
