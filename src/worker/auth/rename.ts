/** After a rename, every place that shows the user's name is told the new one. */
import { eq } from 'drizzle-orm';
import { toUserRef } from '../accounts';
import { hubOf } from '../../durable/hub-shards';
import { roomStub } from '../access';
import type { Db, UserRow } from '../context';
import * as schema from '../db/schema';

/** Sends the new `UserRef` to each chat the user is a member of and to their hub shard. */
export async function announceRename(env: Env, db: Db, user: UserRow): Promise<void> {
  const ref = toUserRef(user);
  const rooms = await db
    .select({ roomId: schema.memberships.roomId })
    .from(schema.memberships)
    .where(eq(schema.memberships.userId, user.id));
  await Promise.all([
    hubOf(env, user.id).userUpdated(ref),
    ...rooms.map((r) => roomStub(env, r.roomId).userUpdated(ref)),
  ]);
}
