/**
 * Reconnect delays: exponential from 500 ms up to 30 s, with "equal jitter" (half fixed,
 * half random) so a server restart does not get every client back in the same instant,
 * yet no client retries in a tight loop.
 */
const BASE_MS = 500;
const MAX_MS = 30_000;

export function backoffDelay(attempt: number, random = Math.random): number {
  const cap = Math.min(MAX_MS, BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(cap / 2 + random() * (cap / 2));
}
