/**
 * One bench at a time on this machine: two runs would compete for the same two cores and
 * skew each other's figures. The lock is a file holding the owner's pid; a stale one (its
 * process gone) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCK = join(tmpdir(), 'parlor-bench.lock');

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the lock, or returns the pid of the live run that holds it. */
export function takeLock() {
  try {
    writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
    return null;
  } catch {
    const holder = Number(readFileSync(LOCK, 'utf8'));
    if (holder && holder !== process.pid && alive(holder)) return holder;
    writeFileSync(LOCK, String(process.pid));
    return null;
  }
}

export function releaseLock() {
  try {
    if (Number(readFileSync(LOCK, 'utf8')) === process.pid) rmSync(LOCK);
  } catch {}
}
