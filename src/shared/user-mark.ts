/**
 * A widget user's mark as the server stores it (SQL's `userMarkSql` in
 * src/durable/user-mark.ts, the room log's `author_mark`): read and written here, apart from
 * user-ref.ts so the client's first screen does not carry it.
 */
import * as z from 'zod/mini';
import { userKind, type UserRef } from './user-ref';

const storedMark = z.object({ kind: userKind, site: z.nullable(z.string()) });

/**
 * `kind` and `site` for a `UserRef` from a user's mark as SQL reads it (`userMarkSql` in
 * src/durable/user-mark.ts: JSON, or null for an account or guest); nothing for anything else.
 */
export function markFields(json: string | null | undefined): Pick<UserRef, 'kind' | 'site'> {
  if (!json) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return {};
  }
  const mark = z.safeParse(storedMark, parsed);
  if (!mark.success) return {};
  return { kind: mark.data.kind, ...(mark.data.site && { site: mark.data.site }) };
}

/** The stored form of a ref's mark (what `markFields` reads back), or null for none. */
export function markJson(user: Pick<UserRef, 'kind' | 'site'>): string | null {
  return user.kind ? JSON.stringify({ kind: user.kind, site: user.site ?? null }) : null;
}

/** A widget user's site as shown: its host (`shop.example`). */
export const siteHost = (site?: string) => site?.replace(/^https?:\/\//, '') ?? 'a site';
