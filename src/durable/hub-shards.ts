/**
 * Hub shards: the objects that hold the app's one socket per signed-in tab (the "lobby
 * socket" of the protocol). A user's tabs all go to one shard, chosen by a hash of the user
 * id, so each shard sees a fixed share of the users and exact presence for each of them.
 */

/** Shards when HUB_SHARDS is not set: each holds 1/16 of the users online. */
export const DEFAULT_HUB_SHARDS = 16;
/** How socket leases and object names spell a shard: `hub:<n>`. */
export const HUB_OBJECT_PREFIX = 'hub:';

export function hubShardCount(env: Env): number {
  const n = Math.floor(Number(env.HUB_SHARDS));
  return n >= 1 ? n : DEFAULT_HUB_SHARDS;
}

/** The shard of `userId`: FNV-1a over its UTF-16 code units, mod the shard count. */
export function hubShardOf(userId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i += 1) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

export function hubStub(env: Env, shard: number) {
  return env.HUB.get(env.HUB.idFromName(`${HUB_OBJECT_PREFIX}${shard}`));
}

/** The shard holding `userId`'s tabs. */
export function hubOf(env: Env, userId: string) {
  return hubStub(env, hubShardOf(userId, hubShardCount(env)));
}

/** `userIds` grouped by their shard. */
export function byShard(env: Env, userIds: Iterable<string>): Map<number, string[]> {
  const shards = hubShardCount(env);
  const groups = new Map<number, string[]>();
  for (const id of userIds) {
    const shard = hubShardOf(id, shards);
    groups.set(shard, [...(groups.get(shard) ?? []), id]);
  }
  return groups;
}
