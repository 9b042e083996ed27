/**
 * Password hashing with scrypt from `node:crypto`. workerd caps PBKDF2 at 100,000
 * iterations (below OWASP's 600,000), so PBKDF2 is not used. Hashes are stored as
 * `scrypt$N$r$p$salt$hash` (base64url) so the parameters can be raised later: a login
 * whose stored parameters are weaker than CURRENT is re-hashed.
 */
import { scrypt, randomBytes, timingSafeEqual } from 'node:crypto';

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

// N=2^14, r=8, p=5: the OWASP-recommended scrypt setting; ~175 ms here.
export const CURRENT: ScryptParams = { N: 2 ** 14, r: 8, p: 5 };
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_BYTES,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r * 2 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, CURRENT);
  const { N, r, p } = CURRENT;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const [alg, N, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !key) return null;
  const params = { N: Number(N), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((n) => Number.isInteger(n) && n > 0)) return null;
  return { params, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

/** Compares in constant time. `rehash` says the stored parameters are below CURRENT. */
export async function verifyPassword(
  password: string,
  stored: string,
): Promise<{ ok: boolean; rehash: boolean }> {
  const parsed = parse(stored);
  if (!parsed) return { ok: false, rehash: false };
  const key = await derive(password, parsed.salt, parsed.params);
  const ok = key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  const { N, r, p } = parsed.params;
  return { ok, rehash: ok && (N < CURRENT.N || r < CURRENT.r || p < CURRENT.p) };
}

/** A well-formed hash of a random password: verified against when the user is unknown, so
 * unknown users and wrong passwords take the same time. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
