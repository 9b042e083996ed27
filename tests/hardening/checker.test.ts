/**
 * The checkers must be able to fail: each fault the chaos and fuzz suites look for, fed to
 * them by hand, is reported. No server needed.
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendAndCheck } from './fuzz-http';
import { Ledger } from './ledger';
import { checkLog } from './log';
import { RoomView, type WireMessage } from './room-view';

const row = (seq: number, text: string, author = 'u1'): WireMessage => ({
  id: `id${seq}`,
  seq,
  author: { id: author },
  text,
  editedAt: null,
  deleted: false,
});
const frame = (m: WireMessage) => ({ type: 'message', seq: m.seq, message: m });

/** Two clients that each sent one message, acked as seqs 1 and 2, and saw both. */
function run() {
  const ledger = new Ledger();
  ledger.sent('a', 'u1', 'cid-a-0001', 'hello');
  ledger.sent('b', 'u2', 'cid-b-0001', 'world');
  ledger.ack('a', 'cid-a-0001', 1);
  ledger.ack('b', 'cid-b-0001', 2);
  const history = [row(1, 'hello'), row(2, 'world', 'u2')];
  const views = new Map([
    ['a', new RoomView()],
    ['b', new RoomView()],
  ]);
  for (const view of views.values()) for (const m of history) view.apply(frame(m));
  return { ledger, history, views };
}

describe('the chaos ledger', () => {
  it('passes a run where every view and D1 agree', () => {
    const { ledger, history, views } = run();
    expect(ledger.verify(views, history, 2)).toEqual([]);
  });

  it('reports an acknowledged message missing from D1', () => {
    const { ledger, history, views } = run();
    expect(ledger.verify(views, history.slice(0, 1), 2)).toContain(
      'acknowledged cid-b-0001 (seq 2) is not in D1',
    );
  });

  it('reports a message stored twice, once never acknowledged', () => {
    const { ledger, history, views } = run();
    const problems = ledger.verify(views, [...history, row(3, 'hello')], 2);
    expect(problems).toContain('seq 3 stored but never acknowledged to anyone');
    expect(problems).toContain('a text is stored twice');
  });

  it('reports two clients that saw different events at one seq, and a gap', () => {
    const { ledger, history } = run();
    const a = new RoomView();
    const b = new RoomView();
    a.apply(frame(history[0]!));
    a.apply(frame(history[1]!));
    b.apply(frame({ ...history[1]!, seq: 1 }));
    const verdict = b.apply(frame({ ...history[0]!, seq: 3 }));
    expect(verdict).toBe('gap');
    const problems = ledger.verify(
      new Map([
        ['a', a],
        ['b', b],
      ]),
      history,
      2,
    );
    expect(problems).toContain('b: seq 1 is m:id2:u2, elsewhere m:id1:u1');
    expect(problems).toContain('b: never saw seq 2');
  });

  it('reports a retried clientId acknowledged with another seq', () => {
    const { ledger, history, views } = run();
    ledger.ack('a', 'cid-a-0001', 5);
    expect(ledger.verify(views, history, 2)).toContain('a: cid-a-0001 acked as seq 1, then as 5');
  });

  it('reports a ghost frame stored and a view that differs from D1', () => {
    const { ledger, history, views } = run();
    ledger.ghostTexts.add('world');
    views.get('a')!.messages.get(1)!.text = 'edited elsewhere';
    const problems = ledger.verify(views, history, 2);
    expect(problems).toContain("a ghost's frame was stored: 2");
    expect(problems.some((p) => p.startsWith('a: seq 1 is'))).toBe(true);
  });
});

describe('the HTTP answer check', () => {
  async function answer(status: number, body: string, headers: Record<string, string>) {
    const srv = createServer((_req, res) => res.writeHead(status, headers).end(body));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as { port: number };
    try {
      return await sendAndCheck({
        route: 'GET /x',
        method: 'GET',
        url: `http://127.0.0.1:${port}/api/x`,
        headers: {},
      });
    } finally {
      srv.close();
    }
  }
  const safe = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

  it('accepts a documented refusal', async () => {
    const body = '{"error":{"code":"not_found","message":"Not found"}}';
    expect((await answer(404, body, safe)).problem).toBeUndefined();
  });

  it('reports a 500, a refusal in another shape, an unknown code and missing headers', async () => {
    const internal = '{"error":{"code":"internal","message":"oops"}}';
    expect((await answer(500, internal, safe)).problem).toMatch(/500/);
    expect((await answer(400, '{"error":"bad"}', safe)).problem).toMatch(/no message/);
    const odd = '{"error":{"code":"odd","message":"?"}}';
    expect((await answer(400, odd, safe)).problem).toMatch(/code odd/);
    expect((await answer(200, '{}', {})).problem).toMatch(/nosniff/);
  });
});

describe('the log check', () => {
  it('fails on an uncaught exception and passes warnings', () => {
    // As wrangler dev 4 prints them (a probe Worker's console.error and throw).
    const consoleError =
      '\u001b[31m✘ \u001b[41;31m[\u001b[41;97mERROR\u001b[41;31m]\u001b[0m probe';
    expect(() => checkLog(consoleError)).toThrow();
    expect(() => checkLog('[wrangler:error] Error: boom\n    at Object.fetch')).toThrow();
    expect(() =>
      checkLog('[wrangler:warn] Unable to fetch the `Request.cf` object!'),
    ).not.toThrow();
  });
});
