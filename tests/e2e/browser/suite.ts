/**
 * One wrangler dev and one Chromium per test file, with the hooks every browser test file
 * needs: start both, close each test's contexts (failing it on any uncaught page error), stop.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { ApiClient } from '../client';
import { DevServer } from '../server';
import { Browsers } from './chromium';

export function browserSuite(vars: Record<string, string> = {}) {
  const server = new DevServer(vars);
  const browsers = new Browsers(server);
  const suite = { server, browsers, api: null as unknown as ApiClient };
  beforeAll(async () => {
    await Promise.all([server.start(), browsers.start()]);
    suite.api = new ApiClient(server.url);
  });
  afterEach(async () => {
    const errors = [...browsers.pageErrors];
    await browsers.closeContexts();
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await browsers.stop();
    await server.stop();
  });
  return suite;
}

export const unique = (prefix: string) => `${prefix}${crypto.randomUUID().slice(0, 8)}`;
