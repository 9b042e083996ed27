/**
 * Account enumeration through sign-in, against a real `wrangler dev`: an unknown username and
 * a known one with the wrong password get the same answer, byte for byte, and the time each
 * takes is measured and reported (medians, in the test's output and in
 * `.tmp/hardening-enumeration.json`; docs/security.md quotes the latest). No assertion is made
 * on the times: a shared two-core machine cannot make one that would not be flaky.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../e2e/client';
import { DevServer } from '../e2e/server';

const server = new DevServer();
let api: ApiClient;
const PASSWORD = 'maple quietly orbit lantern';
// Each kind of failure is tried this often: twice as many failures fit the per-client budget
// (CLIENT_FAILURES.burst = 20 in src/worker/throttle.ts), so none is throttled.
const ROUNDS = 9;

beforeAll(async () => {
  await server.start();
  api = new ApiClient(server.url);
});
afterAll(() => server.stop());

async function timed(username: string, password: string) {
  const started = performance.now();
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.text();
  return { ms: performance.now() - started, status: res.status, body };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]! * 10) / 10;
};

describe('sign-in does not say which usernames exist', () => {
  it('answers an unknown name and a wrong password identically; reports the medians', async () => {
    const suffix = crypto.randomUUID().slice(0, 6);
    const known: string[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const username = `known${i}_${suffix}`;
      const { status } = await api.call('/auth/register', {
        json: { username, password: PASSWORD },
      });
      expect(status).toBe(201);
      known.push(username);
    }
    const unknown: { ms: number; status: number; body: string }[] = [];
    const wrong: typeof unknown = [];
    const right: typeof unknown = [];
    // Interleaved, each name once, so the machine's load falls on every kind alike.
    for (let i = 0; i < ROUNDS; i++) {
      unknown.push(await timed(`nobody${i}_${suffix}`, 'not the password'));
      wrong.push(await timed(known[i]!, 'not the password'));
      right.push(await timed(known[i]!, PASSWORD));
    }
    for (const a of [...unknown, ...wrong]) {
      expect(a.status).toBe(401);
      expect(a.body).toBe(unknown[0]!.body);
    }
    expect(JSON.parse(unknown[0]!.body).error.code).toBe('invalid_credentials');
    for (const a of right) expect(a.status).toBe(200);

    const figures = {
      rounds: ROUNDS,
      unknownNameMedianMs: median(unknown.map((a) => a.ms)),
      wrongPasswordMedianMs: median(wrong.map((a) => a.ms)),
      rightPasswordMedianMs: median(right.map((a) => a.ms)),
    };
    console.log(`[enumeration] sign-in medians: ${JSON.stringify(figures)}`);
    mkdirSync('.tmp', { recursive: true });
    writeFileSync('.tmp/hardening-enumeration.json', JSON.stringify(figures, null, 2));
  });
});
