/** A message's files in history pages: one correlated subquery on the `files_message` index. */
import type { FileInfo } from '../../shared/files';

/** The files of history row `m`, in the order sent, as a JSON array (`[]` when none). */
export const FILES_COLUMN = `(SELECT json_group_array(json_object('id', f.id, 'name', f.name,
    'type', f.type, 'size', f.size, 'width', f.width, 'height', f.height)) FROM
  (SELECT * FROM files f WHERE f.room_id = m.room_id AND f.uploader_id = m.author_id
     AND f.message_client_id = m.client_id ORDER BY f.position) AS f) AS files_json`;

/** `{ files }` for a message with files, else nothing (messages without files omit the field). */
export function toFiles(json: string | null | undefined): { files?: FileInfo[] } {
  const files = JSON.parse(json ?? '[]') as FileInfo[];
  return files.length > 0 ? { files } : {};
}
