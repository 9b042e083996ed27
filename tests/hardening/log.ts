/** What wrangler dev printed must show no uncaught exception and no error from Parlor's code. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

// Seen under wrangler dev --log-level warn: a Worker's console.error prints
// "✘ [ERROR] <text>" (coloured even with NO_COLOR), an uncaught exception
// "[wrangler:error] Error: <message>" with its stack.
const BAD =
  /\[ERROR\]|\[wrangler:error\]|uncaught|unhandled|TypeError|RangeError|ReferenceError|SyntaxError/i;
const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');

/** Keeps a server's whole log in .tmp/hardening-<name>.log, for a failed run's post-mortem. */
export function keepLog(log: string, name: string): void {
  mkdirSync('.tmp', { recursive: true });
  writeFileSync(`.tmp/hardening-${name}.log`, log);
}

/** Fails on any line that looks like an uncaught exception or an error. */
export function checkLog(log: string): void {
  const bad = log
    .replace(ANSI, '')
    .split('\n')
    .filter((line) => BAD.test(line));
  expect(bad.slice(0, 10)).toEqual([]);
}
