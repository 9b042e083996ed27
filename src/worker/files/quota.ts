/**
 * Upload limits: the largest file (FILE_MAX_BYTES) and the bytes one person may upload per
 * UTC day (FILE_DAILY_BYTES), both from wrangler.toml. The day's bytes are reserved with
 * one atomic statement before the upload is stored, so parallel uploads cannot pass the
 * limit together, and given back if storing fails. Deleting a message gives nothing back.
 */
import { formatSize } from '../../shared/files';
import { ApiError } from '../errors';

const DAY_MS = 24 * 3600 * 1000;
// In decimal units, as people and formatSize count them: refusals say "10 MB", not "10.5 MB".
const DEFAULT_MAX_BYTES = 10_000_000;
const DEFAULT_DAILY_BYTES = 100_000_000;

export interface FileLimits {
  maxBytes: number;
  dailyBytes: number;
}

export function fileLimits(env: Env): FileLimits {
  return {
    maxBytes: positive(env.FILE_MAX_BYTES) ?? DEFAULT_MAX_BYTES,
    dailyBytes: positive(env.FILE_DAILY_BYTES) ?? DEFAULT_DAILY_BYTES,
  };
}

function positive(value: string | undefined): number | null {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Takes `bytes` from today's allowance, or throws 429 `quota_exceeded` (Retry-After: midnight UTC). */
export async function reserveUpload(
  db: D1Database,
  userId: string,
  bytes: number,
  limits: FileLimits,
  now = Date.now(),
): Promise<{ refund(): Promise<void> }> {
  const day = Math.floor(now / DAY_MS);
  const [, taken] = await db.batch([
    // Yesterday's counts are no longer needed.
    db.prepare('DELETE FROM file_upload_days WHERE user_id = ?1 AND day < ?2').bind(userId, day),
    db
      .prepare(
        `INSERT INTO file_upload_days (user_id, day, bytes) SELECT ?1, ?2, ?3 WHERE ?3 <= ?4
         ON CONFLICT (user_id, day) DO UPDATE SET bytes = bytes + excluded.bytes
           WHERE bytes + excluded.bytes <= ?4
         RETURNING bytes`,
      )
      .bind(userId, day, bytes, limits.dailyBytes),
  ]);
  if (taken!.results.length === 0) {
    const retryAfter = Math.ceil(((day + 1) * DAY_MS - now) / 1000);
    throw new ApiError(
      429,
      'quota_exceeded',
      `Uploads are limited to ${formatSize(limits.dailyBytes)} a day; this one would pass it`,
      undefined,
      retryAfter,
    );
  }
  return {
    async refund() {
      await db
        .prepare(
          'UPDATE file_upload_days SET bytes = max(0, bytes - ?3) WHERE user_id = ?1 AND day = ?2',
        )
        .bind(userId, day, bytes)
        .run();
    },
  };
}
