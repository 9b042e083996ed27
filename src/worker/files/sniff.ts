/**
 * What a file is, from its first bytes: one of the accepted types (src/shared/files.ts)
 * recognised by its signature, with an image's size from its header, or a refusal. The
 * name and the type the browser claimed are never trusted for this.
 */
import type { FileType } from '../../shared/files';

/** Bytes read before deciding (a JPEG's size may sit after a large EXIF block). */
export const SNIFF_BYTES = 64 * 1024;

export type Sniffed =
  | { ok: true; type: FileType; width: number | null; height: number | null }
  | { ok: false; reason: string };

/**
 * @param head the file's first bytes: SNIFF_BYTES of them, or the whole file if shorter
 * @param whole whether `head` is the whole file (a text's last character may be cut otherwise)
 */
export function sniff(head: Uint8Array, whole: boolean): Sniffed {
  if (head.length === 0) return { ok: false, reason: 'The file is empty' };
  const image = imageOf(head);
  if (image) return { ok: true, ...image };
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return known('application/pdf'); // %PDF-
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    return known('application/zip');
  }
  const text = textOf(head, whole);
  if (text === null) return { ok: false, reason: 'This kind of file is not accepted' };
  // HTML, SVG and XML would be text; they are refused outright, so none is ever stored,
  // whatever name or type it claims.
  if (/^\s*</.test(text)) return { ok: false, reason: 'HTML, SVG and XML files are not accepted' };
  return known('text/plain');
}

function known(type: FileType): Sniffed {
  return { ok: true, type, width: null, height: null };
}

type Image = { type: FileType; width: number | null; height: number | null };

function imageOf(b: Uint8Array): Image | null {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    // The IHDR chunk comes first: width and height, big-endian, at 16 and 20.
    const ihdr = ascii(b, 12, 4) === 'IHDR' && b.length >= 24;
    return { type: 'image/png', ...(ihdr ? size(be32(b, 16), be32(b, 20)) : unknownSize) };
  }
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') {
    return { type: 'image/gif', ...(b.length >= 10 ? size(le16(b, 6), le16(b, 8)) : unknownSize) };
  }
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') {
    return { type: 'image/webp', ...webpSize(b) };
  }
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { type: 'image/jpeg', ...jpegSize(b) };
  return null;
}

const unknownSize = { width: null, height: null };

function size(width: number, height: number) {
  return width > 0 && height > 0 ? { width, height } : unknownSize;
}

function webpSize(b: Uint8Array) {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b.length >= 30 && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return size(le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  }
  if (chunk === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
    const [b0, b1, b2, b3] = [b[21]!, b[22]!, b[23]!, b[24]!];
    return size(1 + (((b1 & 0x3f) << 8) | b0), 1 + (((b3 & 0x0f) << 10) | (b2 << 2) | (b1 >> 6)));
  }
  if (chunk === 'VP8X' && b.length >= 30) return size(1 + le24(b, 24), 1 + le24(b, 27));
  return unknownSize;
}

/** Walks the JPEG's markers to the first start-of-frame, which holds its size. */
function jpegSize(b: Uint8Array) {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return unknownSize;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return size(be16(b, at + 7), be16(b, at + 5));
    }
    const standalone = marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
    at += standalone ? 2 : 2 + be16(b, at + 2);
  }
  return unknownSize;
}

/** The bytes as text, if they are UTF-8 without control characters (tab and line ends aside). */
function textOf(b: Uint8Array, whole: boolean): string | null {
  let text: string;
  try {
    // `stream` while more follows: a character cut at the end of the head is not an error.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(b, {
      stream: !whole,
    });
  } catch {
    return null;
  }
  return /[\x00-\x08\x0b\x0e-\x1f\x7f]/.test(text) ? null : text;
}

function startsWith(b: Uint8Array, sig: number[]): boolean {
  return b.length >= sig.length && sig.every((v, i) => b[i] === v);
}

function ascii(b: Uint8Array, at: number, length: number): string {
  if (b.length < at + length) return '';
  return String.fromCharCode(...b.subarray(at, at + length));
}

const be16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const le16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const le24 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const be32 = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + be16(b, at + 2);
