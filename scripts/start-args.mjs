// What `npm start` runs, worked out from its arguments and environment alone (no side effects,
// so tests/unit/start-args.test.ts can check it): the port comes from `--port N`, `--port=N`
// or PORT, else 8787, and reaches `wrangler dev` exactly once (the old script added its own
// `--port 8787` after the user's, and wrangler refused the pair). That port's two local
// origins become APP_ORIGINS unless the caller passes its own; `--persist-to` reaches the
// migrations too, so they land in the database `wrangler dev` will read.

/** @typedef {{ port: number, migrate: string[], dev: string[] }} StartPlan */

/** `--name value` or `--name=value` removed from `args`; returns [value, rest]. */
function take(args, name) {
  const rest = [];
  let value;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    // A trailing `--port` with nothing after it is an empty value, refused below.
    if (arg === name) value = args[++i] ?? '';
    else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
    else rest.push(arg);
  }
  return [value, rest];
}

/**
 * @param {string[]} argv arguments after `npm start --`
 * @param {Record<string, string | undefined>} env the process environment
 * @returns {StartPlan | { error: string }}
 */
export function startPlan(argv, env) {
  const [portArg, rest] = take(argv, '--port');
  // An empty PORT (`PORT= npm start`) is no PORT.
  const given = portArg ?? (env.PORT || undefined);
  const port = Number(given ?? 8787);
  if (!/^\d+$/.test(String(given ?? 8787)) || port < 1 || port > 65535) {
    return { error: `npm start: the port must be a number from 1 to 65535, not "${given}"` };
  }
  const [persistTo] = take(rest, '--persist-to');
  const persist = persistTo === undefined ? [] : ['--persist-to', persistTo];
  const ownOrigins = rest.some((a) => /^(--var=)?APP_ORIGINS:/.test(a));
  const origins = ownOrigins
    ? []
    : ['--var', `APP_ORIGINS:http://localhost:${port},http://127.0.0.1:${port}`];
  // Mail goes to the development outbox (/api/_dev/outbox) unless the caller decides.
  const ownOutbox = rest.some((a) => /^(--var=)?DEV_OUTBOX:/.test(a));
  const outbox = ownOutbox ? [] : ['--var', 'DEV_OUTBOX:1'];
  return {
    port,
    migrate: ['d1', 'migrations', 'apply', 'parlor', '--local', ...persist],
    dev: ['dev', '--port', String(port), ...origins, ...outbox, ...rest],
  };
}
