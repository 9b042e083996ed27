// The npm registry reachable from the development machines lacks workerd's darwin and
// windows builds of recent versions, so `npm install` writes a lockfile without them and
// `npm ci` then refuses it as out of sync. This adds the missing optional platform entries
// (never installed on Linux) next to each linux-64 entry. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORMS = {
  'darwin-64': [['darwin'], ['x64']],
  'darwin-arm64': [['darwin'], ['arm64']],
  'windows-64': [['win32'], ['x64']],
};
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  if (!path.endsWith('@cloudflare/workerd-linux-64')) continue;
  const base = path.slice(0, -'workerd-linux-64'.length);
  for (const [name, [os, cpu]] of Object.entries(PLATFORMS)) {
    const key = `${base}workerd-${name}`;
    if (lock.packages[key]) continue;
    lock.packages[key] = {
      version: entry.version,
      cpu,
      ...(entry.dev && { dev: true }),
      optional: true,
      os,
    };
    added.push(key);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.join(', ')}` : 'lockfile already complete');
