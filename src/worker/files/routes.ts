/**
 * Files in chats: `POST /api/rooms/:id/files` stores one upload (a member of the chat, a
 * type recognised from its bytes, within the size and daily limits) and answers its id;
 * `GET /api/files/:id` serves it to those who may read the chat, with headers that keep
 * any file from running as a page of Parlor's origin. Mounted before the JSON API: an
 * upload's body is the file, so it has its own CSRF rule instead of `guardMutations`'.
 */
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { fileKey } from '../../durable/attachments';
import { formatSize, isInlineImage, type FileInfo } from '../../shared/files';
import { cleanFileName } from '../../shared/file-names';
import { assertDmMember, roomAccess } from '../access';
import { readableBy } from '../queries';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import {
  originAllowed,
  parseInput,
  readWithSession,
  requireClaims,
  requireUser,
} from '../middleware';
import { contentDisposition, nameMismatch } from './names';
import { pruneUnsent } from './prune';
import { fileLimits, reserveUpload } from './quota';
import { sniff } from './sniff';
import { readUpload } from './store';

const uploadQuery = z.object({ name: z.string().check(z.minLength(1), z.maxLength(1000)) });

/**
 * Sent with every file response. `sandbox` makes a document from this response (should
 * one ever be rendered: a top-level visit to a download) a unique opaque origin with no
 * script; `default-src 'none'` lets it load nothing; nosniff keeps the browser to the
 * type Parlor detected.
 */
export const FILE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

export const files = new Hono<AppEnv>()
  .post('/rooms/:id/files', guardOrigin, requireUser, guardUploadType, async (c) => {
    const roomId = c.req.param('id');
    const { name: rawName } = parseInput(uploadQuery, c.req.query());
    const name = cleanFileName(rawName);
    if (!name) throw new ApiError(400, 'validation_failed', 'The file needs a name', 'name');
    const length = declaredLength(c);
    const limits = fileLimits(c.env);
    if (length > limits.maxBytes) {
      throw new ApiError(
        413,
        'payload_too_large',
        `Files are limited to ${formatSize(limits.maxBytes)}`,
      );
    }
    const user = c.var.user;
    const { member } = await roomAccess(c.env.DB, roomId, user.id);
    if (!member) throw new ApiError(403, 'not_a_member', 'Join this chat to share files in it');

    const upload = await readUpload(c.req.raw.body!, length);
    const found = sniff(upload.head, upload.head.length === length);
    const refusal = found.ok ? nameMismatch(name, found.type) : found.reason;
    if (!found.ok || refusal) {
      await upload.discard();
      throw new ApiError(415, 'unsupported_media_type', refusal!);
    }
    const reserved = await reserveUpload(c.env.DB, user.id, length, limits).catch(
      async (err: unknown) => {
        await upload.discard();
        throw err;
      },
    );
    const file: FileInfo = {
      id: crypto.randomUUID(),
      name,
      type: found.type,
      size: length,
      width: found.width,
      height: found.height,
    };
    const key = fileKey(roomId, file.id);
    try {
      await upload.store(c.env.FILES, key, file.type);
      await c.env.DB.prepare(
        `INSERT INTO files (id, room_id, uploader_id, name, type, size, width, height, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
      )
        .bind(
          file.id,
          roomId,
          user.id,
          name,
          file.type,
          length,
          file.width,
          file.height,
          Date.now(),
        )
        .run();
    } catch (err) {
      await Promise.allSettled([reserved.refund(), c.env.FILES.delete(key)]);
      throw err;
    }
    // This person's uploads that were never sent go after a day.
    c.executionCtx.waitUntil(pruneUnsent(c.env, user.id).catch((err) => console.error(err)));
    return c.json({ file }, 201);
  })
  .get('/files/:id', requireClaims, async (c) => {
    const id = c.req.param('id');
    // The session check and the file's row in one D1 round trip.
    const [row] = await readWithSession<FileRow>(
      c,
      c.env.DB.prepare(
        `SELECT f.room_id, f.uploader_id, f.name, f.type, f.size, f.message_client_id
         FROM files f JOIN rooms r ON r.id = f.room_id WHERE f.id = ?1 AND ${readableBy('?2')}`,
      ).bind(id, c.var.claims.userId),
    );
    // Not sent yet: nobody but its uploader knows it exists. A widget session reaches its own
    // room's files only, as it reaches that room's history only (embed/scope.ts).
    const widgetRoom = c.var.widgetRoom;
    if (
      !row ||
      (row.message_client_id === null && row.uploader_id !== c.var.user.id) ||
      (widgetRoom !== null && row.room_id !== widgetRoom)
    ) {
      throw new ApiError(404, 'not_found', 'No such file');
    }
    // Whoever may read the chat's history may fetch its files: a private room's only its
    // members and nobody it banned (readableBy, as history), a DM's only its pair.
    assertDmMember(row.room_id, c.var.user.id);
    const object = await c.env.FILES.get(fileKey(row.room_id, id));
    if (!object) throw new ApiError(404, 'not_found', 'No such file');
    const inline = isInlineImage(row.type);
    return new Response(object.body, {
      status: 200,
      headers: {
        // The detected type, never one an uploader chose.
        'content-type': row.type,
        'content-length': String(object.size),
        'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', row.name),
        'content-security-policy': FILE_CSP,
        'x-content-type-options': 'nosniff',
        'cross-origin-resource-policy': 'same-origin',
      },
    });
  });

interface FileRow {
  room_id: string;
  uploader_id: string;
  name: string;
  type: string;
  size: number;
  message_client_id: string | null;
}

/**
 * CSRF for uploads: a browser's `Origin` must be an allowed one (checked first, as for every
 * mutation), and the body must be `application/octet-stream`, a type no cross-site form can
 * send without a CORS preflight (the reason the JSON API insists on JSON).
 */
async function guardOrigin(c: Context<AppEnv>, next: () => Promise<void>) {
  const origin = c.req.header('origin');
  if (origin && !originAllowed(origin, c.env)) {
    throw new ApiError(403, 'origin_not_allowed', `Requests from ${origin} are not allowed`);
  }
  await next();
}

async function guardUploadType(c: Context<AppEnv>, next: () => Promise<void>) {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/octet-stream\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the file as application/octet-stream');
  }
  await next();
}

/** The body's length: required (R2 stores a stream of known length), a whole number. */
function declaredLength(c: Context<AppEnv>): number {
  const header = c.req.header('content-length');
  const length = Number(header);
  if (!header || !/^\d+$/.test(header) || !Number.isSafeInteger(length) || !c.req.raw.body) {
    throw new ApiError(411, 'bad_request', 'Send the file with its Content-Length');
  }
  if (length === 0) throw new ApiError(400, 'bad_request', 'The file is empty');
  return length;
}
