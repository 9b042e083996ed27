/**
 * A room's identity secret at rest: AES-GCM with a key derived (HKDF-SHA-256) from
 * SESSION_SECRET, so a copy of the database alone does not let anyone sign as the room's site.
 */
const INFO = new TextEncoder().encode('parlor room identity secret v1');

async function key(sessionSecret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(sessionSecret),
    'HKDF',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: INFO },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromBase64Url = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** A new secret for a room: 32 random bytes, base64url (what the owner copies). */
export function newIdentitySecret(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function sealSecret(sessionSecret: string, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await key(sessionSecret),
    new TextEncoder().encode(secret),
  );
  const out = new Uint8Array(12 + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), 12);
  return toBase64Url(out);
}

/** The secret's bytes as the site has them (the base64url text), for HS256. */
export async function openSecret(sessionSecret: string, sealed: string): Promise<Uint8Array> {
  const bytes = fromBase64Url(sealed);
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: bytes.slice(0, 12) },
    await key(sessionSecret),
    bytes.slice(12),
  );
  return new Uint8Array(plain);
}
