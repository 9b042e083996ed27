/**
 * A file's name as the uploader gave it, made safe to store and to put in a
 * `Content-Disposition` header, and checked against the type found in its bytes.
 */
import { FILE_NAME_CHARS, FILE_TYPES, type FileType } from '../../shared/files';

/**
 * NFC; control, format (bidi overrides, zero-width) and separator characters removed, so a
 * name cannot pretend to end in another extension or point into a folder; outer dots and
 * spaces trimmed; at most FILE_NAME_CHARS characters, keeping the extension. Null if
 * nothing is left.
 */
export function cleanFileName(raw: string): string | null {
  const name = raw
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[/\\:*?"<>|]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (!name) return null;
  const chars = [...name];
  if (chars.length <= FILE_NAME_CHARS) return name;
  const ext = extensionOf(name);
  const keep = ext ? FILE_NAME_CHARS - ext.length - 1 : FILE_NAME_CHARS;
  return chars.slice(0, keep).join('') + (ext ? `.${ext}` : '');
}

/** The lower-cased extension, without its dot; '' when the name has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Why `name` does not fit `type` (a PNG called `.txt`, text called `.png`), or null. */
export function nameMismatch(name: string, type: FileType): string | null {
  const allowed: readonly string[] = FILE_TYPES[type];
  const ext = extensionOf(name);
  if (allowed.includes(ext)) return null;
  const wanted = allowed.map((e) => `.${e}`).join(', ');
  return ext
    ? `The file is ${type} but its name ends in .${ext} (expected ${wanted})`
    : `The file is ${type}; its name must end in ${wanted}`;
}

/**
 * `Content-Disposition` for a download: an ASCII fallback name (RFC 6266) and the real one
 * percent-encoded (RFC 5987), so no character of the name can end or extend the header.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
