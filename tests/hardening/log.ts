/** What wrangler dev printed must show no uncaught exception and no error from Parlor's code. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

const BAD = /uncaught|unhandled|\[ERROR\]|internal error|TypeError|RangeError|ReferenceError/i;

/**
 * Fails on any line that looks like an uncaught exception or an error. With `keep`, the
 * whole log is also written to .tmp/hardening-<keep>.log for a failed run's post-mortem.
 */
export function checkLog(log: string, keep?: string): void {
  if (keep) {
    mkdirSync('.tmp', { recursive: true });
    writeFileSync(`.tmp/hardening-${keep}.log`, log);
  }
  const bad = log.split('\n').filter((line) => BAD.test(line));
  expect(bad.slice(0, 10)).toEqual([]);
}
