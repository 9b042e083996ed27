/** What wrangler dev printed must show no uncaught exception and no error from Parlor's code. */
import { expect } from 'vitest';

const BAD = /uncaught|unhandled|\[ERROR\]|internal error|TypeError|RangeError|ReferenceError/i;

export function checkLog(log: string): void {
  const bad = log.split('\n').filter((line) => BAD.test(line));
  expect(bad.slice(0, 10)).toEqual([]);
}
