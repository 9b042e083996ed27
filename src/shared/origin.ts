/**
 * The one strict reading of a web origin (`scheme://host[:port]`) wherever Parlor accepts one
 * from outside: a room's embedding list, a visitor's or a widget session's site, the
 * deployment's `GLOBAL_EMBED_ORIGINS`, and every stored origin before it reaches a CSP header.
 *
 * `new URL` alone is not enough: it accepts `https://*.example.com`, `https://*`,
 * `https://a.example;script-src` (none of `*`, `;` or `'` is forbidden in a WHATWG host), port
 * 0, and rewrites `https://127.1` to `https://127.0.0.1`. Such a value would go verbatim into
 * `frame-ancestors`, where `*` is a wildcard and `;` starts another directive. So the shape is
 * checked first, by hand, and `URL` only normalises what passed.
 */

/** An origin as browsers send it in `Origin`, or why the value is not one. */
export type ParsedOrigin = { ok: true; origin: string } | { ok: false; problem: string };

const refuse = (problem: string): ParsedOrigin => ({ ok: false, problem });

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Why `host` (not bracketed) is not a host name or a dotted-quad IPv4 address, or null. */
function hostProblem(host: string): string | null {
  if (host.includes('*')) return 'must not contain a wildcard (*): list each site exactly';
  if (/[^\x00-\x7f]/.test(host)) {
    return 'must write an international domain name in punycode (xn--…)';
  }
  if (/[^A-Za-z0-9.-]/.test(host)) {
    return 'must have a host of letters, digits, hyphens and dots only';
  }
  const lower = host.toLowerCase();
  // A last label of digits makes the whole host an IPv4 address for a browser (`127.1`).
  if (/^\d+$/.test(lower.slice(lower.lastIndexOf('.') + 1))) {
    return IPV4.test(lower) ? null : 'must have a valid IPv4 address (four numbers 0–255)';
  }
  if (lower.length > 253) return 'must have a host name of at most 253 characters';
  const labels = lower.split('.');
  if (labels.some((l) => l === '')) return 'must not have an empty part in its host name';
  if (!labels.every((l) => LABEL.test(l))) {
    return 'must have host name parts of 1–63 letters, digits or inner hyphens';
  }
  return null;
}

/**
 * Reads `value` as an exact origin: `http` or `https`; a host name (letters, digits, hyphens,
 * dots; an IDN in punycode), an IPv4 address or a bracketed IPv6 one; no wildcard, user
 * name, path, query or fragment (one trailing `/` is tolerated); a port of 1–65535 if any.
 * The origin is normalised as `new URL(value).origin` gives it: lower case, no default port.
 */
export function parseOrigin(value: string): ParsedOrigin {
  if (value === '') return refuse('is empty');
  if (/[\s\x00-\x1f\x7f]/.test(value)) return refuse('must not contain spaces');
  const scheme = SCHEME.exec(value);
  if (!scheme) return refuse('must start with https:// (or http://)');
  const protocol = scheme[1]!.toLowerCase();
  const rest = scheme[2]!;
  if (protocol !== 'http' && protocol !== 'https') {
    // `javascript:…`, `localhost:8899`: no scheme and host at all.
    if (!rest.startsWith('//')) return refuse('must start with https:// (or http://)');
    return refuse(`must use https:// (or http://), not ${protocol}://`);
  }
  if (!rest.startsWith('//')) return refuse(`must be written ${protocol}://host`);
  const authority = rest.slice(2).replace(/\/$/, '');
  if (/[/?#\\]/.test(authority)) {
    return refuse('must be exactly an origin: no path, query or fragment');
  }
  if (authority.includes('@')) return refuse('must not contain a user name or password');
  const parts = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority);
  if (!parts) return refuse('must be written scheme://host[:port]');
  const [, host = '', port] = parts;
  if (host === '' || host === '[]') return refuse('has no host');
  if (host.startsWith('[')) {
    if (!/^\[[0-9A-Fa-f:.]+\]$/.test(host)) return refuse('must have a valid IPv6 address');
  } else {
    const problem = hostProblem(host);
    if (problem) return refuse(problem);
  }
  if (port !== undefined) {
    if (port.includes('*')) return refuse('must not contain a wildcard (*) port');
    const number = /^\d{1,5}$/.test(port) ? Number(port) : 0;
    if (number < 1 || number > 65535) return refuse('must have a port from 1 to 65535');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('is not a valid origin');
  }
  // `URL` rewrote the host (an IPv4 short form, a malformed IPv6): not what was written.
  if (!host.startsWith('[') && url.hostname !== host.toLowerCase()) {
    return refuse('is not a valid origin');
  }
  return { ok: true, origin: url.origin };
}
