/**
 * Starts the real app under `wrangler dev` (local workerd, local D1 with the real
 * migrations) in a throwaway state directory, and can kill and restart it on the same state.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { signSession } from '../../src/worker/auth/session';
import { migrate } from './migrated-state';

const root = new URL('../..', import.meta.url).pathname;
const wrangler = join(root, 'node_modules/.bin/wrangler');
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  X_LOCAL_OBSERVABILITY: 'false',
  NO_COLOR: '1',
};

// Where in its block this process starts: two suites run at once on one machine (two people's)
// would otherwise try the same ports in the same order and could meet each other's servers.
let portsTaken = Math.floor(Math.random() * 1000);

/**
 * A port for one server. Not `listen(0)`: two test files asking at once could both be given
 * the same port, and the one whose wrangler lost the race then found the other's server
 * answering on it (seen in CI: the fuzzer talked to the chaos test's server as it was
 * killed). Each vitest worker takes ports from its own block, below the kernel's ephemeral
 * range (32768 and up) where `listen(0)` (inspectors, workerd's own sockets) never lands, and
 * skips any port something else holds.
 */
export async function freePort(): Promise<number> {
  const worker = Number(process.env.VITEST_POOL_ID ?? 0) % 12;
  for (;;) {
    const port = 20_000 + worker * 1000 + (portsTaken++ % 1000);
    if (await canListen(port)) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export class DevServer {
  readonly stateDir = mkdtempSync(join(tmpdir(), 'parlor-e2e-'));
  private child: ChildProcess | null = null;
  private output = '';
  /** Output of earlier runs of this server (before restarts). */
  private earlier = '';
  port = 0;
  /**
   * This server's own session secret (kept across restarts: clients' tokens stay valid). The
   * readiness probe is a token only this secret signs, so a server found on the port is known
   * to be this one, not another suite's that took the port first.
   */
  private readonly secret = `e2e-${crypto.randomUUID()}-${crypto.randomUUID()}`;

  constructor(private readonly vars: Record<string, string> = {}) {}

  /** Everything wrangler and workerd printed, across restarts. */
  get log(): string {
    return this.earlier + this.output;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) {
      this.port = await freePort();
      this.migrate();
      // The port was free a moment ago; another test file's wrangler or workerd may take it
      // before ours binds (seen in CI). A first start may move to another port; a restart
      // keeps its port, because clients reconnect to the same address.
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.launch();
        } catch (err) {
          if (attempt === 3 || !String(err).includes('Address already in use')) throw err;
          this.port = await freePort();
        }
      }
    }
    await this.launch();
  }

  /** From the run's migrated template (migrated-state.ts), or migrated here without one. */
  private migrate(): void {
    const template = inject('migratedState');
    if (template) cpSync(template, this.stateDir, { recursive: true });
    else migrate(this.stateDir);
  }

  private async launch(): Promise<void> {
    const vars = {
      SESSION_SECRET: this.secret,
      // The origin the tests' clients and Chromium load the app from.
      APP_ORIGINS: this.url,
      // Every local request comes from one address: lift the per-client guest limit.
      GUEST_BURST: '100000',
      // Small, so that rooms with more than 5 sockets grow relays (the fan-out tree is exercised).
      ROOM_DIRECT_SOCKETS: '5',
      HUB_SHARDS: '3',
      ...this.vars,
    };
    const args = [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(this.port),
      '--persist-to',
      this.stateDir,
    ];
    args.push(
      '--inspector-port',
      '0',
      '--log-level',
      'warn',
      '--show-interactive-dev-session=false',
    );
    for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
    this.earlier += this.output;
    this.output = '';
    this.child = spawn(wrangler, args, {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child.stdout!.on('data', (d) => (this.output += d));
    this.child.stderr!.on('data', (d) => (this.output += d));
    await this.waitReady();
  }

  /**
   * Ready when the server on the port answers an expired token signed with this server's
   * secret with `session_expired`: a server with another secret says `unauthorized` (bad
   * signature), and until ours has bound the port (or has exited, saying why) this waits.
   */
  private async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const probe = await signSession(this.vars.SESSION_SECRET ?? this.secret, {
      userId: 'readiness-probe',
      sessionId: 'readiness-probe',
      expiresAt: Date.now() - 60_000,
    });
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) throw new Error(`wrangler dev exited:\n${this.output}`);
      try {
        const res = await fetch(`${this.url}/api/me`, {
          headers: { authorization: `Bearer ${probe}` },
        });
        const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
        if (res.status === 401 && body?.error?.code === 'session_expired') return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`wrangler dev did not become ready:\n${this.output}`);
  }

  /** Kills wrangler and its workerd processes at once (SIGKILL to the process group). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
    await exited;
    this.child = null;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
