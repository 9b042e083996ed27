/**
 * Starting, watching and stopping one server under test: its own process group (so stopping
 * it stops everything it started), pinned to a core with `taskset` when there is one, with
 * its process tree sampled every 500 ms for RSS and CPU seconds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { sleep } from './stats.mjs';
import { sampleTree } from './proctree.mjs';

const CAN_PIN = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
let pin = CAN_PIN;

/** Turns core pinning on or off (`--no-pin`); returns whether it is on. */
export function usePinning(on) {
  pin = on && CAN_PIN;
  return pin;
}

/** Prefixes a command with `taskset -c <cpu>` when pinning is on. */
export function pinned(cpu, cmd, args) {
  return pin && cpu != null ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args];
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Waits until `url` answers at all (any status), or throws after `timeoutMs`. */
async function waitReady(url, child, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await sleep(250);
    }
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

// Servers run detached (their own process group); if the bench dies, they must not outlive it.
const running = new Set();
process.on('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
});

export async function startServer({
  cmd,
  args,
  env,
  cwd,
  cpu,
  readyUrl,
  logPath,
  readyTimeoutMs = 90_000,
}) {
  const [file, argv] = pinned(cpu, cmd, args);
  const log = createWriteStream(logPath);
  const child = spawn(file, argv, {
    cwd,
    env: { ...process.env, ...env },
    detached: true, // its own process group, stopped as one
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child.pid);
  child.once('exit', () => running.delete(child.pid));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const samples = [];
  const timer = setInterval(() => samples.push(sampleTree(child.pid)), 500);
  const server = {
    pid: child.pid,
    logPath,
    samples,
    sample: () => sampleTree(child.pid),
    stop: () => stopGroup(child, timer),
  };
  try {
    await waitReady(readyUrl, child, readyTimeoutMs);
  } catch (err) {
    await server.stop();
    throw new Error(`${err.message}; see ${logPath}`);
  }
  return server;
}

/** SIGINT first (wrangler then stops its workerd processes), SIGKILL after 10 s. */
async function stopGroup(child, timer) {
  clearInterval(timer);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {}
  };
  signal('SIGINT');
  const gone = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  // Anything left in the group (a workerd that outlived wrangler) goes too.
  signal('SIGKILL');
  if (!gone) await Promise.race([exited, sleep(2000)]);
}
