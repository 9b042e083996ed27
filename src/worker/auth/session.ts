/**
 * Sessions: a JWT (HS256 pinned, with iss/aud/sub/iat/exp and a session id `sid`) whose
 * session row in D1 must exist and be unrevoked. Logout revokes the row, so the token is
 * refused afterwards even before it expires.
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { ApiError } from '../errors';

const ALG = 'HS256';
const ISSUER = 'parlor';
const AUDIENCE = 'parlor-api';
export const SESSION_COOKIE = '__Host-parlor_session';
export const DEVICE_COOKIE = '__Host-parlor_device';
export const ACCOUNT_SESSION_SECONDS = 30 * 24 * 3600;
export const GUEST_SESSION_SECONDS = 365 * 24 * 3600;
/** A widget visitor's token lives in a host page's storage, so it expires sooner. */
export const VISITOR_SESSION_SECONDS = 30 * 24 * 3600;

function key(secret: string | undefined): Uint8Array {
  if (!secret || secret.length < 32) {
    throw new Error('SESSION_SECRET must be set to at least 32 characters');
  }
  return new TextEncoder().encode(secret);
}

export async function signSession(
  secret: string,
  claims: { userId: string; sessionId: string; expiresAt: number },
): Promise<string> {
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(claims.expiresAt / 1000))
    .sign(key(secret));
}

/** Verifies signature, algorithm, issuer, audience and expiry; returns user and session ids. */
export async function verifySession(
  secret: string,
  token: string,
): Promise<{ userId: string; sessionId: string }> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: [ALG],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub', 'sid'],
    });
    if (typeof payload.sid !== 'string' || !payload.sub) throw new Error('missing claims');
    return { userId: payload.sub, sessionId: payload.sid };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) {
      throw new ApiError(401, 'session_expired', 'Your session has expired; sign in again');
    }
    throw new ApiError(401, 'unauthorized', 'Sign in first');
  }
}

export function sessionCookie(token: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Lax`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}

export function deviceCookie(token: string): string {
  return `${DEVICE_COOKIE}=${token}; Path=/; Max-Age=${GUEST_SESSION_SECONDS}; HttpOnly; Secure; SameSite=Lax`;
}

/** Forgets the browser's guest: sent when a guest signs out or claims the name. */
export function clearedDeviceCookie(): string {
  return `${DEVICE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}
