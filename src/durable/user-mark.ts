/**
 * A widget user's mark (visitor or identified, and their site) as one SQL column, so every
 * query that builds a `UserRef` from `users` reads one more column and passes it to
 * `markFields` (src/shared/user-ref.ts). Null for Parlor's own accounts and guests.
 */
export function userMarkSql(alias: string): string {
  return `CASE WHEN ${alias}.is_visitor = 1 THEN json_object(
    'kind', CASE WHEN ${alias}.identity_key IS NULL THEN 'visitor' ELSE 'identified' END,
    'site', ${alias}.visitor_site) END`;
}
