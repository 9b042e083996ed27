/**
 * Scenario 7: client budgets. Builds the web client (`npm run build`), then measures the gzip
 * size (zlib default level 6, as a server compressing on the fly would) of what a first visit
 * must load: the entry scripts and stylesheets named in the HTML, plus every module they
 * import statically (lazy `import()` chunks are not first-screen). Also the widget loader.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './lib/wrangler.mjs';

const WEB = join(ROOT, 'dist/web');

function build() {
  const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  return { ok: res.status === 0, tail: res.status === 0 ? undefined : output.slice(-1500) };
}

const STATIC_IMPORT = /(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+?from\s*)?["']([^"']+\.js)["']/g;
const TAG = /<(script|link)\b([^>]*)>/gi;
const attr = (attrs, name) =>
  new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(attrs)?.[1];

/** The files an HTML page loads before it can paint: entry JS (and its static imports), CSS. */
function firstScreenFiles(htmlFile) {
  const files = new Set();
  const html = readFileSync(htmlFile, 'utf8');
  const local = (href) => join(WEB, normalize(href.replace(/^\//, '').split('?')[0]));
  for (const [, tag, attrs] of html.matchAll(TAG)) {
    const rel = attr(attrs, 'rel');
    const href = tag.toLowerCase() === 'script' ? attr(attrs, 'src') : attr(attrs, 'href');
    if (!href || /^https?:/.test(href)) continue;
    if (tag.toLowerCase() === 'script' || rel === 'modulepreload' || rel === 'stylesheet') {
      files.add(local(href));
    }
  }
  // Follow static imports: what the entry imports must arrive before it runs.
  for (const file of files) {
    if (!file.endsWith('.js') || !existsSync(file)) continue;
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (spec.startsWith('.')) files.add(join(dirname(file), spec));
      else if (spec.startsWith('/')) files.add(local(spec));
    }
  }
  return [...files].filter(existsSync);
}

function sizes(files) {
  const rows = files.map((file) => {
    const raw = readFileSync(file);
    return { file: file.slice(WEB.length + 1), bytes: raw.length, gzipBytes: gzipSync(raw).length };
  });
  const total = (ext) =>
    rows.filter((r) => r.file.endsWith(ext)).reduce((sum, r) => sum + r.gzipBytes, 0);
  return { jsGzipBytes: total('.js'), cssGzipBytes: total('.css'), files: rows };
}

export function measureBudgets({ skipBuild = false } = {}) {
  const built = skipBuild ? { ok: true, skipped: true } : build();
  const result = { build: built };
  const page = (name) => join(WEB, name);
  if (existsSync(page('index.html'))) result.app = sizes(firstScreenFiles(page('index.html')));
  if (existsSync(page('widget.html')))
    result.widgetPage = sizes(firstScreenFiles(page('widget.html')));
  if (existsSync(page('widget.js'))) result.widgetLoader = sizes([page('widget.js')]);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    JSON.stringify(measureBudgets({ skipBuild: process.argv.includes('--no-build') }), null, 2),
  );
}
