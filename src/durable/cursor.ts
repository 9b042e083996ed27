/**
 * The `after` query parameter of a room socket: which events the client already has.
 * Absent: no replay. A non-negative integer: replay the gap or `resync`. Anything else
 * (empty, `abc`, `-1`, `1.5`, past 2^53) is `invalid`: an `invalid_cursor` error, close 1008.
 */
export function parseCursor(params: URLSearchParams): number | null | 'invalid' {
  const raw = params.get('after');
  if (raw === null) return null;
  if (!/^\d{1,16}$/.test(raw)) return 'invalid';
  const after = Number(raw);
  return Number.isSafeInteger(after) ? after : 'invalid';
}
