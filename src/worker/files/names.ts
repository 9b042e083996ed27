/**
 * A file's name as the uploader gave it, made safe to store and to put in a
 * `Content-Disposition` header, and checked against the type found in its bytes.
 */
import { FILE_TYPES, type FileType } from '../../shared/files';
import { extensionOf } from '../../shared/file-names';

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
