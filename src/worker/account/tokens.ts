/**
 * One-time links (email verification, password reset): 32 random bytes, of which only the
 * SHA-256 is stored. Unguessable (2^256), useless to whoever reads the table, single-use
 * (consumed by one atomic UPDATE), expiring. A signed token (a JWT) would need the same row
 * to be single-use, so the row is the whole mechanism.
 */
import { sha256 } from '../accounts';

export type TokenKind = 'verify_email' | 'reset_password';

/** How long each kind of link works. */
export const TOKEN_TTL_MS: Record<TokenKind, number> = {
  verify_email: 24 * 3600 * 1000,
  reset_password: 3600 * 1000,
};

export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** A statement that stores `token` for `userId` (its caller may make it conditional). */
export async function tokenRow(token: string, kind: TokenKind, now = Date.now()) {
  return {
    tokenHash: await sha256(token),
    kind,
    createdAt: now,
    expiresAt: now + TOKEN_TTL_MS[kind],
  };
}

/** Ends every unused link of `kind` for a user (a new password, a new address). */
export function retireTokens(db: D1Database, userId: string, kind: TokenKind, now = Date.now()) {
  return db
    .prepare(
      'UPDATE account_tokens SET used_at = ?3 WHERE user_id = ?1 AND kind = ?2 AND used_at IS NULL',
    )
    .bind(userId, kind, now);
}

/**
 * Uses a link: marks it used if it is of `kind`, unused and unexpired, in one statement, so
 * two requests with the same link cannot both pass. Returns its row, or null. A reset link
 * works only while the address it went to is still the account's confirmed one: whoever
 * still reads a mailbox the owner moved away from gets nothing from it.
 */
export async function consumeToken(
  db: D1Database,
  token: string,
  kind: TokenKind,
  now = Date.now(),
): Promise<{ userId: string; email: string | null } | null> {
  const row = await db
    .prepare(
      `UPDATE account_tokens SET used_at = ?3
       WHERE token_hash = ?1 AND kind = ?2 AND used_at IS NULL AND expires_at > ?3
         AND (kind != 'reset_password' OR EXISTS (SELECT 1 FROM users u WHERE u.id = user_id
           AND u.email = account_tokens.email AND u.email_verified_at IS NOT NULL))
       RETURNING user_id, email`,
    )
    .bind(await sha256(token), kind, now)
    .first<{ user_id: string; email: string | null }>();
  return row ? { userId: row.user_id, email: row.email } : null;
}

/** Reads a link without using it (to check a new password before spending the link). */
export async function peekToken(db: D1Database, token: string, kind: TokenKind, now = Date.now()) {
  return db
    .prepare(
      `SELECT t.user_id, u.username FROM account_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = ?1 AND t.kind = ?2 AND t.used_at IS NULL AND t.expires_at > ?3
         AND u.deleted_at IS NULL
         AND (t.kind != 'reset_password' OR (u.email = t.email AND u.email_verified_at IS NOT NULL))`,
    )
    .bind(await sha256(token), kind, now)
    .first<{ user_id: string; username: string }>();
}
