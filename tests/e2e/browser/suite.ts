/**
 * One wrangler dev and one Chromium per test file, with the hooks every browser test file
 * needs: start both, close each test's contexts (failing it on any uncaught page error), stop.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { ApiClient } from '../client';
import { DevServer } from '../server';
import { Browsers } from './chromium';
import { conversationReady, roomWith } from './ui';

export function browserSuite(vars: Record<string, string> = {}) {
  const server = new DevServer(vars);
  const browsers = new Browsers(server);
  const suite = {
    server,
    browsers,
    api: null as unknown as ApiClient,
    /**
     * Two guests, `ada` (who made the room, so its owner) and `bo` (who joined it), each
     * with the room open in their own browser context, socket connected.
     */
    async twoInRoom() {
      const [ada, bo] = await Promise.all([
        suite.api.guest(unique('ada')),
        suite.api.guest(unique('bo')),
      ]);
      const room = await roomWith(suite.api, ada, bo);
      const [a, b] = await Promise.all([
        browsers.open({ as: ada, path: `/c/${room.id}` }),
        browsers.open({ as: bo, path: `/c/${room.id}` }),
      ]);
      await Promise.all([conversationReady(a, room.id), conversationReady(b, room.id)]);
      return { ada, bo, room, a, b };
    },
  };
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
