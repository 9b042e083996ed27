/**
 * Token buckets in D1 for limits that must hold however many Worker instances serve the
 * requests. Each take is one statement: the refill, the check and the spend happen inside
 * SQLite's single writer, so parallel requests cannot all pass a bucket that holds one token.
 */
import { ApiError } from './errors';

export interface Bucket {
  /** Tokens a full bucket holds: the burst allowed at once. */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
}

/**
 * Takes `cost` tokens from the bucket named `key`. Returns 0 when taken, else the
 * milliseconds until that many tokens will be there (nothing is spent then).
 */
export async function takeToken(
  db: D1Database,
  key: string,
  bucket: Bucket,
  cost = 1,
  now = Date.now(),
): Promise<number> {
  const { burst, perSecond } = bucket;
  // `refilled` is the bucket's content now; the update happens only when it covers the cost.
  const refilled = `min(?2, tokens + max(0, ?3 - updated_at) / 1000.0 * ?4)`;
  const taken = await db
    .prepare(
      `INSERT INTO rate_buckets (key, tokens, updated_at) VALUES (?1, ?2 - ?5, ?3)
       ON CONFLICT (key) DO UPDATE SET tokens = ${refilled} - ?5, updated_at = ?3
       WHERE ${refilled} >= ?5
       RETURNING tokens`,
    )
    .bind(key, burst, now, perSecond, cost)
    .first<{ tokens: number }>();
  if (taken) return 0;
  const row = await db
    .prepare(`SELECT ${refilled} AS tokens FROM rate_buckets WHERE key = ?1`)
    .bind(key, burst, now, perSecond)
    .first<{ tokens: number }>();
  const missing = cost - (row?.tokens ?? 0);
  return Math.max(1, Math.ceil((missing / perSecond) * 1000));
}

/** Takes a token or throws the documented 429 with `Retry-After`. */
export async function spendOrThrow(
  db: D1Database,
  key: string,
  bucket: Bucket,
  message: string,
): Promise<void> {
  const waitMs = await takeToken(db, key, bucket);
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    throw new ApiError(
      429,
      'rate_limited',
      `${message}; try again in ${seconds} s`,
      undefined,
      seconds,
    );
  }
}

/**
 * Who is asking, for per-client limits: Cloudflare's `CF-Connecting-IP` (set by the edge,
 * not forgeable there). An IPv6 address counts by its /64, the block one subscriber is
 * usually given: otherwise each of its 2^64 addresses would be a client of its own. Under
 * `wrangler dev` and in tests it may be absent: then all such requests share one client
 * key, which errs on the side of limiting.
 */
export function clientKey(req: Request): string {
  const ip = req.headers.get('cf-connecting-ip');
  if (!ip) return 'local';
  return ip.includes(':') ? ipv6Block(ip) : ip;
}

/** The /64 an IPv6 address is in, written one way (`2001:db8:0:1::/64`); IPv4-mapped as IPv4. */
export function ipv6Block(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = '', tail] = ip.split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? front
      : [
          ...front,
          ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'),
          ...back,
        ];
  const block = groups
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':');
  return `${block}::/64`;
}
