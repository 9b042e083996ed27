/**
 * A deleted room leaves the chat lists of its members online: each hub shard subscribed to
 * its notices (those with a member online) is told once, and tells its members' tabs.
 */
import { hubStub } from './hub-shards';

export async function roomGoneFromLists(env: Env, shards: number[], roomId: string) {
  await Promise.all(
    shards.map((shard) =>
      hubStub(env, shard)
        .roomDeleted(roomId)
        .catch((err) => console.error('room deletion notice failed', shard, err)),
    ),
  );
}
