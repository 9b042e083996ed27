/**
 * What an uploaded avatar is, decided from its first bytes alone: a name ending in `.png` or
 * a `Content-Type: image/png` header says nothing about what the bytes are (an HTML page
 * sent as `x.png` is still HTML, and a browser that sniffs would run it).
 */
import type { AvatarType } from '../../shared/profile';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  return bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
}

/** PNG, JPEG or WebP by magic number; null for anything else (SVG, HTML, GIF, …). */
export function avatarTypeOf(bytes: Uint8Array): AvatarType | null {
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp';
  return null;
}

/** Hex SHA-256 of the bytes, first 32 digits: the avatar's name in R2 and in its URL. */
export async function contentHash(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)]
    .slice(0, 16)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}
