// Worker bundle composition: bytes each package contributes to the bundle wrangler builds.
// Usage: node bench/bundle.mjs <outdir>  (after `wrangler deploy --dry-run --outdir <outdir> --metafile`)
// Figures are esbuild's bytesInOutput (unminified, as wrangler uploads it) and gzip -9 of the whole file.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.tmp/dry-run';
const meta = JSON.parse(readFileSync(join(dir, 'bundle-meta.json'), 'utf8'));
const code = readFileSync(join(dir, 'index.js'));
const output = Object.values(meta.outputs).find((o) => o.entryPoint);

/** `node_modules/@scope/name/…` → `@scope/name`, `node_modules/name/…` → `name`, else the top folder. */
function owner(path) {
  const parts = path.split('node_modules/');
  if (parts.length > 1) {
    const rest = parts.at(-1).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = path.match(/^src\/([^/]+)/);
  return m ? `src/${m[1]}` : path.split('/')[0];
}

const byOwner = new Map();
for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
  const key = owner(path);
  byOwner.set(key, (byOwner.get(key) ?? 0) + bytesInOutput);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const total = code.length;
console.log(`total ${kb(total)}, gzip ${kb(gzipSync(code, { level: 9 }).length)}`);
const rows = [...byOwner].sort((a, b) => b[1] - a[1]);
for (const [key, bytes] of rows) {
  if (bytes < 512) continue;
  console.log(
    `${key.padEnd(34)} ${kb(bytes).padStart(11)}  ${((100 * bytes) / total).toFixed(1).padStart(5)}%`,
  );
}
