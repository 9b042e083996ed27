/**
 * `npm start` (scripts/start.mjs) gives `wrangler dev` one port, from `--port` or PORT, and
 * allows that port's own origins (issue 8, item 22: `npm start -- --port 8792` used to pass
 * `--port` twice and fail).
 */
import { describe, expect, it } from 'vitest';
import { startPlan } from '../../scripts/start-args.mjs';

// The development mail outbox is on under `npm start` (src/worker/mail/dev-outbox.ts).
const OUTBOX = ['--var', 'DEV_OUTBOX:1'];
const origins = (port: number) => `APP_ORIGINS:http://localhost:${port},http://127.0.0.1:${port}`;

describe('npm start', () => {
  it('serves on the port after --port, given to wrangler dev once, with its origins allowed', () => {
    for (const argv of [['--port', '8792'], ['--port=8792']]) {
      expect(startPlan(argv, { PORT: '9000' })).toEqual({
        port: 8792,
        migrate: ['d1', 'migrations', 'apply', 'parlor', '--local'],
        dev: ['dev', '--port', '8792', '--var', origins(8792), ...OUTBOX],
      });
    }
  });

  it('serves on PORT when no --port is given, else on 8787', () => {
    expect(startPlan([], { PORT: '8793' })).toMatchObject({
      port: 8793,
      dev: ['dev', '--port', '8793', '--var', origins(8793), ...OUTBOX],
    });
    expect(startPlan([], { PORT: '' })).toMatchObject({ port: 8787 });
    expect(startPlan([], {})).toMatchObject({
      port: 8787,
      dev: ['dev', '--port', '8787', '--var', origins(8787), ...OUTBOX],
    });
  });

  it('passes other arguments on, keeps the caller’s APP_ORIGINS and migrates where dev persists', () => {
    const plan = startPlan(
      ['--persist-to', '/tmp/p', '--var', 'APP_ORIGINS:http://lan.example:8787', '--port', '8794'],
      {},
    );
    expect(plan).toEqual({
      port: 8794,
      migrate: ['d1', 'migrations', 'apply', 'parlor', '--local', '--persist-to', '/tmp/p'],
      dev: [
        'dev',
        '--port',
        '8794',
        ...OUTBOX,
        '--persist-to',
        '/tmp/p',
        '--var',
        'APP_ORIGINS:http://lan.example:8787',
      ],
    });
  });

  it('keeps the caller’s DEV_OUTBOX', () => {
    expect(startPlan(['--var', 'DEV_OUTBOX:0'], {})).toMatchObject({
      dev: ['dev', '--port', '8787', '--var', origins(8787), '--var', 'DEV_OUTBOX:0'],
    });
  });

  it('refuses a port that is not a number from 1 to 65535, naming it', () => {
    for (const [argv, env, shown] of [
      [['--port', 'abc'], {}, 'abc'],
      [['--port', '0'], {}, '0'],
      [['--port'], {}, ''],
      [[], { PORT: '70000' }, '70000'],
      [[], { PORT: '80.5' }, '80.5'],
    ] as const) {
      expect(startPlan([...argv], env)).toEqual({
        error: `npm start: the port must be a number from 1 to 65535, not "${shown}"`,
      });
    }
  });
});
