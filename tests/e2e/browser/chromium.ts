/**
 * Real Chromium (found by find-chromium.ts, driven by playwright-core) against a `DevServer`. Pages load the
 * app from `server.url` (http://127.0.0.1:<port>): Chromium treats 127.0.0.1 as a secure
 * context and keeps the `__Host-` Secure session cookie there, and the server's Origin check
 * compares with that same origin.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { E2eUser } from '../client';
import type { DevServer } from '../server';
import { findChromium } from './find-chromium';

const SESSION_COOKIE = '__Host-parlor_session';
// Playwright's own default is 30 s; a UI condition that takes longer than this is a failure.
const ACTION_TIMEOUT_MS = 15_000;

export interface OpenOptions {
  /** Signed in as this user (session cookie set before the first request); else signed out. */
  as?: E2eUser;
  /** Path to load, e.g. `/c/<room id>`. */
  path?: string;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** The time zone the browser reports, e.g. `America/New_York`; else the machine's. */
  timezoneId?: string;
}

/** One Chromium for a test file; one context (own cookies and storage) per simulated person. */
export class Browsers {
  private browser: Browser | null = null;
  private contexts: BrowserContext[] = [];
  /** Uncaught exceptions in any page since the last `closeContexts()`. */
  readonly pageErrors: string[] = [];
  /** alert/confirm/prompt dialogs any page opened (each dismissed) since the last `closeContexts()`. */
  readonly dialogs: string[] = [];

  constructor(private readonly server: DevServer) {}

  async start(): Promise<void> {
    const found = await findChromium();
    this.browser = await chromium.launch({
      executablePath: found.executablePath,
      headless: true,
      args: found.args,
    });
    console.log(`Chromium ${this.browser.version()} from ${found.source}: ${found.executablePath}`);
  }

  /** A new person: a fresh context with one page, signed in as `as` when given. */
  async open(options: OpenOptions = {}): Promise<Page> {
    if (!this.browser) throw new Error('Browsers.start() first');
    const context = await this.browser.newContext({
      baseURL: this.server.url,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
      reducedMotion: 'reduce',
      timezoneId: options.timezoneId,
    });
    this.contexts.push(context);
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    if (options.as) {
      await context.addCookies([
        {
          name: SESSION_COOKIE,
          value: options.as.token,
          // Domain and path, not `url`: Playwright turns a `url` on http into a non-Secure
          // cookie, which Chromium refuses for a `__Host-` name.
          domain: new URL(this.server.url).hostname,
          path: '/',
          httpOnly: true,
          secure: true,
          sameSite: 'Lax',
        },
      ]);
    }
    const page = await context.newPage();
    page.on('pageerror', (err) => this.pageErrors.push(`${page.url()}: ${err.message}`));
    page.on('dialog', (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => undefined);
    });
    await page.goto(options.path ?? '/');
    return page;
  }

  /** Closes every context opened since the last call; the browser stays up for the next test. */
  async closeContexts(): Promise<void> {
    const open = this.contexts;
    this.contexts = [];
    await Promise.all(open.map((c) => c.close().catch(() => undefined)));
    this.pageErrors.length = 0;
    this.dialogs.length = 0;
  }

  async stop(): Promise<void> {
    await this.closeContexts();
    await this.browser?.close();
    this.browser = null;
  }
}

export type { Page };
