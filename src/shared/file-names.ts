/**
 * A file's name made safe to show and store: the Worker keeps what this returns, and the
 * upload tray shows it before the upload ends. Its own module: the tray is loaded on demand,
 * so this stays off the first screen.
 */
import { FILE_NAME_CHARS } from './files';

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
