/**
 * Files attached to messages: what a file looks like on the wire, which types Parlor
 * accepts (recognised from the bytes by the Worker, src/worker/files/sniff.ts), and which
 * of them a browser may show inline. The Worker, the room and the client all read these.
 */
import * as z from 'zod/mini';

/** Files one message may carry. */
export const FILES_PER_MESSAGE = 10;
/** Longest file name kept, in characters (code points); longer names are cut, keeping the extension. */
export const FILE_NAME_CHARS = 200;

/**
 * Every accepted type, with the name endings it may have. A file's name must end in one of
 * its type's extensions: a PNG called `notes.txt`, or text called `photo.png`, is refused.
 */
export const FILE_TYPES = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'application/zip': ['zip', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub'],
  'text/plain': ['txt', 'log', 'md', 'csv', 'tsv', 'json'],
} as const satisfies Record<string, readonly string[]>;
export type FileType = keyof typeof FILE_TYPES;

/**
 * Raster images a browser may show inline (thumbnails and the viewer). Everything else,
 * SVG above all (it can hold script), is only ever served as a download.
 */
export const INLINE_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
];

/** Whether a file of this type is shown as an image. */
export function isInlineImage(type: string): boolean {
  return INLINE_TYPES.includes(type);
}

const fileId = z.string().check(z.regex(/^[0-9a-f-]{36}$/, 'Not a file id'));

/** A `send` frame's `files`: distinct ids of the sender's uploads, at most FILES_PER_MESSAGE. */
export const fileIds = z.array(fileId).check(
  z.maxLength(FILES_PER_MESSAGE, `At most ${FILES_PER_MESSAGE} files per message`),
  z.refine((ids) => new Set(ids).size === ids.length, 'A file is attached twice'),
);

/** One attached file as messages, history and the upload's answer carry it. */
export const fileInfo = z.object({
  id: z.string(),
  name: z.string(),
  /** Detected from the file's bytes, not from its name or the uploader's say. */
  type: z.string(),
  /** Bytes. */
  size: z.number(),
  /** Pixels, when the image's header says; null for other files. */
  width: z.nullable(z.number()),
  height: z.nullable(z.number()),
});
export type FileInfo = z.infer<typeof fileInfo>;

/** `POST /api/rooms/:id/files` answers 201 with this. */
export const uploadResponse = z.object({ file: fileInfo });

/** Where a file is fetched from (the Worker checks the session and who may read the chat). */
export function fileUrl(id: string): string {
  return `/api/files/${encodeURIComponent(id)}`;
}

/** "2.4 MB", "340 KB", "12 bytes": sizes as people read them (1 KB = 1,000 bytes). */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
