/** Per-user caps that hold across every chat, relay and hub shard together (user-quota.ts). */

/** Sockets one user may hold open in all rooms, relays and hubs together. */
export const MAX_SOCKETS_PER_USER_TOTAL = 30;

/**
 * Sockets one user may open across all objects: 60 at once (a reload of many tabs, a
 * reconnect after a deploy), then 2 a second, unless CONNECT_BURST and
 * CONNECT_RATE_PER_SECOND say otherwise (the fuzzing suite raises them). Past it a socket is
 * closed with 1013 (try again later) and the client reconnects with backoff: a loop of
 * connects cannot flood everyone's presence with online/offline.
 */
export function connectsPerUser(env: Env): { burst: number; perSecond: number } {
  return {
    burst: Number(env.CONNECT_BURST) || 60,
    perSecond: Number(env.CONNECT_RATE_PER_SECOND) || 2,
  };
}

/** How socket leases name a room's object (a hub shard's is `hub:<n>`, hub-shards.ts). */
export const ROOM_OBJECT_PREFIX = 'room:';
/** How socket leases name a relay's object (`relay:<room id>#<k>`). */
export const RELAY_OBJECT_PREFIX = 'relay:';

/**
 * The message bucket across chats, from configuration (MESSAGE_BURST_ALL_CHATS,
 * MESSAGE_RATE_ALL_CHATS_PER_SECOND). Never below one chat's own limit: a cross-chat cap
 * smaller than a single chat's would make the per-chat one meaningless (and configurations
 * that raise the per-chat limit, like the benchmark's, raise this one with it).
 */
export function messageRateAllChats(env: Env): { burst: number; perSecond: number } {
  const perChatBurst = Number(env.MESSAGE_BURST) || 10;
  const perChatRate = Number(env.MESSAGE_RATE_PER_SECOND) || 2;
  return {
    burst: Math.max(Number(env.MESSAGE_BURST_ALL_CHATS) || 30, perChatBurst),
    perSecond: Math.max(Number(env.MESSAGE_RATE_ALL_CHATS_PER_SECOND) || 5, perChatRate),
  };
}

/** Quota shards when QUOTA_SHARDS is not set. */
export const DEFAULT_QUOTA_SHARDS = 64;

/** How many objects keep the per-user caps, each for a share of the users (user-quota.ts). */
export function quotaShardCount(env: Env): number {
  const n = Math.floor(Number(env.QUOTA_SHARDS));
  return n >= 1 ? n : DEFAULT_QUOTA_SHARDS;
}
