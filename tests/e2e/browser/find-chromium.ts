/**
 * Finds a Chromium for the browser tests, so `npm test` works on a machine with only Node and
 * npm. In order: `CHROMIUM_PATH`; a system Chromium or Chrome; the headless Chromium that the
 * npm package `@sparticuz/chromium` ships for Linux x64 (extracted to the temp dir on first
 * use). `PARLOR_CHROMIUM=npm` skips the first two, which is how CI proves the fallback works.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface FoundChromium {
  executablePath: string;
  args: string[];
  /** Where it came from, printed once by the suite so a failure names the browser. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

// What Parlor's tests need of any Chromium: headless, no sandbox in containers, quiet.
const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

// @sparticuz/chromium's defaults target scraping on AWS Lambda: they switch off the
// same-origin policy and mixed-content blocking (which Parlor's tests check), and run in one
// process, where closing one browser context brings the whole browser down. All removed.
const UNSUITABLE_FLAGS = [
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--single-process',
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

export async function findChromium(): Promise<FoundChromium> {
  const forced = process.env.PARLOR_CHROMIUM;
  if (forced && forced !== 'npm' && forced !== 'system') {
    throw new Error(`PARLOR_CHROMIUM must be "npm" or "system", not "${forced}"`);
  }
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit && forced !== 'npm') {
    if (!executable(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} is not an executable`);
    return { executablePath: explicit, args: BASE_ARGS, source: 'CHROMIUM_PATH' };
  }
  if (forced !== 'npm') {
    for (const name of SYSTEM_NAMES) {
      const path = onPath(name);
      if (path) return { executablePath: path, args: BASE_ARGS, source: 'system' };
    }
    if (forced === 'system') throw new Error('PARLOR_CHROMIUM=system but none is installed');
  }
  if (process.platform === 'linux' && process.arch === 'x64') {
    const { default: packaged } = await import('@sparticuz/chromium');
    const args = packaged.args.filter((a) => !UNSUITABLE_FLAGS.includes(a));
    return {
      executablePath: await packaged.executablePath(),
      args: [...new Set([...args, ...BASE_ARGS])],
      source: '@sparticuz/chromium',
    };
  }
  throw new Error(
    'No Chromium found for the browser tests. Install Chromium or Chrome (e.g. `apt-get install ' +
      'chromium`, `brew install --cask chromium`) or set CHROMIUM_PATH to its executable. ' +
      `(The npm-shipped fallback only runs on Linux x64; this is ${process.platform} ${process.arch}.)`,
  );
}
