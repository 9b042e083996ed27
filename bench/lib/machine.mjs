/** What the figures ran on: hardware, runtimes and the revision measured. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { NODE22, ROOT } from './wrangler.mjs';

const run = (cmd, args) => {
  try {
    return execFileSync(cmd, args, {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
};
const version = (pkg) => {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8'))
      .version;
  } catch {
    return null;
  }
};

export function machineInfo() {
  const cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
  return {
    date: new Date().toISOString(),
    cpuModel: cpuModel ?? os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    nodeLoadgen: process.version,
    nodeWrangler: run(NODE22, ['--version']),
    wrangler: version('wrangler'),
    // wrangler runs its own pinned workerd, not the top-level one vitest uses.
    workerd: version('wrangler/node_modules/workerd') ?? version('workerd'),
    socketIo: version('socket.io'),
    ws: version('ws'),
    // Anything else running (other sessions' tests) skews every figure; say so.
    loadAverage1mAtStart: Math.round(os.loadavg()[0] * 100) / 100,
    gitCommit: run('git', ['rev-parse', '--short', 'HEAD']),
    gitDirty: Boolean(run('git', ['status', '--porcelain', '--untracked-files=no'])),
  };
}
