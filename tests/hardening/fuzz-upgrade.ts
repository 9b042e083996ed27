/**
 * Mutated WebSocket upgrades: `after` values, credentials (Bearer, the subprotocol pair,
 * none, forged), origins and chat ids. An upgrade is either refused over HTTP in the error
 * shape, or answered with `hello` (then caught_up or resync for an `after`), or, for an
 * `after` that is not a seq, an `invalid_cursor` error frame and close 1008 with no hello.
 */
import WebSocket from 'ws';
import { ERROR_CODES } from '../../src/shared/errors';
import type { Frame } from '../socket-client';
import type { Rng } from './rng';

const AFTERS = [
  '',
  '0',
  '1',
  '-1',
  '1.5',
  '1e3',
  '0x10',
  ' 1',
  '9007199254740991',
  '9007199254740992',
  'abc',
  '%00',
  '１',
];

export interface UpgradeContext {
  base: string;
  token: string;
  roomIds: string[];
  latestSeq: () => number;
}

export async function fuzzUpgrade(
  r: Rng,
  ctx: UpgradeContext,
): Promise<{ outcome: string; problem?: string }> {
  const lobby = r.chance(0.2);
  const roomId = r.pick(ctx.roomIds);
  const after = r.chance(0.5) ? String(r.int(0, ctx.latestSeq() + 3)) : r.pick(AFTERS);
  const query = r.chance(0.9) ? `?after=${after}` : `?after=1&after=2`;
  const path = lobby ? '/api/lobby/ws' : `/api/rooms/${encodeURIComponent(roomId)}/ws${query}`;
  const headers: Record<string, string> = {};
  let protocols: string[] | undefined;
  const auth = r.next();
  if (auth < 0.6) headers.authorization = `Bearer ${ctx.token}`;
  else if (auth < 0.75) protocols = ['parlor.v1', `token.${ctx.token}`];
  else if (auth < 0.85)
    protocols = [r.pick(['parlor.v1', 'token.x', 'chat']), `token.${r.hex(30)}`];
  else if (auth < 0.95) headers.authorization = `Bearer ${ctx.token.slice(0, -2)}AA`;
  if (r.chance(0.8)) headers.origin = r.chance(0.85) ? ctx.base : 'https://evil.example';
  const where = `${path} ${JSON.stringify(headers).slice(0, 80)} ${protocols?.[0] ?? ''}`;
  const ws = new WebSocket(`${ctx.base.replace('http', 'ws')}${path}`, protocols, { headers });
  const frames: Frame[] = [];
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as Frame;
    frames.push(...(f.type === 'batch' ? (f.frames as Frame[]) : [f]));
  });
  ws.on('error', () => {});
  let closedWith: number | null = null;
  ws.on('close', (code) => (closedWith = code));
  return new Promise((resolve) => {
    let check: NodeJS.Timeout | undefined;
    const done = (outcome: string, problem?: string) => {
      clearTimeout(timer);
      clearInterval(check);
      ws.terminate();
      resolve({ outcome, problem: problem && `${where}: ${problem}` });
    };
    const timer = setTimeout(
      () => done('timeout', `no answer in 15 s; got ${JSON.stringify(frames).slice(0, 200)}`),
      15_000,
    );
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        let code: unknown;
        try {
          code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
        } catch {
          return done(`http ${status}`, `not JSON: ${body.slice(0, 100)}`);
        }
        const ok =
          status >= 400 && status < 500 && (ERROR_CODES as readonly unknown[]).includes(code);
        done(`http ${status} ${String(code)}`, ok ? undefined : body.slice(0, 200));
      });
    });
    check = setInterval(() => {
      const first = frames[0];
      if (!first) return;
      if (first.type === 'error') {
        clearInterval(check);
        // Documented: a bad `after` (1008), too many sockets for this user (4029) or too many
        // connects (1013), and a chat this user may not open (1000: retrying cannot change
        // it; docs/protocol.md).
        const closeCode = {
          invalid_cursor: 1008,
          quota_exceeded: 4029,
          rate_limited: 1013,
          not_a_member: 1000,
          room_not_found: 1000,
          forbidden: 1000,
          banned: 1000,
        }[first.code as string];
        if (!closeCode) return done('error', `first frame ${JSON.stringify(first)}`);
        // ws reports the close once TCP ends; the code is what matters, so end it soon.
        const kill = setTimeout(() => ws.terminate(), 2000);
        const wait = setInterval(() => {
          if (closedWith === null) return;
          clearTimeout(kill);
          clearInterval(wait);
          done(String(first.code), closedWith === closeCode ? undefined : `closed ${closedWith}`);
        }, 10);
        return;
      }
      if (first.type !== 'hello') {
        clearInterval(check);
        return done('other', `first frame ${JSON.stringify(first).slice(0, 200)}`);
      }
      if (lobby || !query.includes('after=')) {
        clearInterval(check);
        return done('hello');
      }
      if (frames.some((f) => f.type === 'caught_up' || f.type === 'resync')) {
        clearInterval(check);
        const end = frames.find((f) => f.type === 'caught_up' || f.type === 'resync')!.type;
        // A seq past the chat's latest is another chat's state: resync. One within the
        // window (1,000) of it: caught_up.
        const seq = first.seq as number;
        const n = /^\d+$/.test(after) && query === `?after=${after}` ? Number(after) : null;
        const want = n === null ? end : n > seq || seq - n > 1000 ? 'resync' : 'caught_up';
        done(
          `hello, ${end}`,
          end === want ? undefined : `after=${after}, hello seq ${seq}: ${end}`,
        );
      }
    }, 10);
  });
}
