/**
 * Avatars in R2 (`FILES`, keys `avatars/<user id>/<hash>`): uploaded as the image's bytes
 * (the browser has already cropped and resized them), typed from those bytes, and served
 * only through the Worker with `nosniff` and a CSP that lets nothing run.
 */
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AVATAR_TYPES, PROFILE_LIMITS } from '../../shared/profile';
import { toMe } from '../accounts';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { originAllowed, readLimited, requireUser, withDb } from '../middleware';
import { spendOrThrow, type Bucket } from '../rate-buckets';
import { avatarTypeOf, contentHash } from './avatar-bytes';
import { changeProfile } from './update';

/** Avatar uploads per user: 5 at once, then one a minute. */
export const AVATAR_UPLOADS: Bucket = { burst: 5, perSecond: 1 / 60 };

const PREFIX = 'avatars/';
const URL_PREFIX = '/api/avatars/';
// Content types a browser cannot send cross-site without a CORS preflight (unlike
// text/plain or form encodings), so the upload is as safe from CSRF as a JSON body.
const UPLOAD_TYPES = new Set<string>([...AVATAR_TYPES, 'application/octet-stream']);

/**
 * The CSRF guard of a binary upload: an allowed Origin (before anything else), then, after
 * the session check, a preflighted content type and the size.
 */
const guardOrigin = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('origin');
  if (origin && !originAllowed(origin, c.env)) {
    throw new ApiError(403, 'origin_not_allowed', `Requests from ${origin} are not allowed`);
  }
  await next();
});

const guardBody = createMiddleware<AppEnv>(async (c, next) => {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!UPLOAD_TYPES.has(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the image as PNG, JPEG or WebP');
  }
  if (Number(c.req.header('content-length') ?? '0') > PROFILE_LIMITS.avatarBytes) throw tooBig();
  await next();
});

function tooBig(): ApiError {
  const kb = PROFILE_LIMITS.avatarBytes / 1024;
  return new ApiError(413, 'payload_too_large', `An avatar is limited to ${kb} KB`);
}

/** `PUT /api/me/avatar`, mounted outside the JSON-only API: the body is the image itself. */
export const avatarUpload = new Hono<AppEnv>().put(
  '/',
  withDb,
  guardOrigin,
  requireUser,
  guardBody,
  async (c) => {
    const user = c.var.user;
    const bytes = await readLimited(c.req.raw, PROFILE_LIMITS.avatarBytes, tooBig);
    const type = avatarTypeOf(bytes);
    if (!type) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        'That file is not a PNG, JPEG or WebP image',
      );
    }
    await spendOrThrow(c.env.DB, `avatar:${user.id}`, AVATAR_UPLOADS, 'Too many avatar uploads');
    const hash = await contentHash(bytes);
    await c.env.FILES.put(`${PREFIX}${user.id}/${hash}`, bytes, {
      httpMetadata: { contentType: type },
    });
    const previous = avatarKey(user.profile);
    const saved = await changeProfile(c.env, c.var.db, user, {
      profile: (p) => ({ ...p, avatar: `${URL_PREFIX}${user.id}/${hash}` }),
    });
    if (previous && previous !== `${PREFIX}${user.id}/${hash}`) await dropObject(c, previous);
    return c.json({ user: toMe(saved) }, 200);
  },
);

/** The R2 key of the avatar a stored profile names, if any. */
export function avatarKey(profileJson: string | null): string | null {
  const match = /"avatar":"\/api\/avatars\/([0-9a-f-]{1,64})\/([0-9a-f]{32})"/.exec(
    profileJson ?? '',
  );
  return match ? `${PREFIX}${match[1]}/${match[2]}` : null;
}

/** Deletes a replaced or removed avatar; a failure leaves an orphan, never a broken profile. */
export async function dropObject(c: Context<AppEnv>, key: string): Promise<void> {
  try {
    await c.env.FILES.delete(key);
  } catch (err) {
    console.error('avatar delete failed', key, err);
  }
}

/**
 * `GET /api/avatars/:user/:hash`. No session needed: an avatar is shown to anyone who sees
 * the person (the widget's visitors too), and its URL names the exact bytes, so it is cached
 * for good. The type is the one sniffed at upload; the CSP and `nosniff` keep a browser
 * from treating the bytes as anything but that image, even if opened directly.
 */
export async function serveAvatar(c: Context<AppEnv>): Promise<Response> {
  const user = c.req.param('user') ?? '';
  const hash = c.req.param('hash') ?? '';
  if (!/^[0-9a-f-]{1,64}$/.test(user) || !/^[0-9a-f]{32}$/.test(hash)) throw noAvatar();
  const object = await c.env.FILES.get(`${PREFIX}${user}/${hash}`);
  if (!object) throw noAvatar();
  const stored = object.httpMetadata?.contentType ?? '';
  const type = (AVATAR_TYPES as readonly string[]).includes(stored)
    ? stored
    : 'application/octet-stream';
  return new Response(object.body, {
    headers: {
      'content-type': type,
      'content-length': String(object.size),
      'cache-control': 'public, max-age=31536000, immutable',
      etag: `"${hash}"`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
      'cross-origin-resource-policy': 'same-origin',
      'content-disposition': 'inline; filename="avatar"',
    },
  });
}

function noAvatar(): ApiError {
  return new ApiError(404, 'not_found', 'No such avatar');
}
