/**
 * A room's side of files: claiming the sender's uploads for a message (in D1, before the
 * message takes its seq) and deleting a message's files (R2 objects, then D1 rows) before
 * its delete event. A file belongs to a message by the message's identity (room, author,
 * clientId), which D1 keeps unique, so a claim needs no seq and a retried send re-claims.
 */
import type { FileInfo } from '../shared/files';
import type { EventLog } from './event-log';

/** R2 key of a chat's file. Avatars (profiles) live beside these under `avatars/`. */
export function fileKey(roomId: string, fileId: string): string {
  return `files/${roomId}/${fileId}`;
}

export class Attachments {
  constructor(
    private readonly env: Env,
    private readonly roomId: () => string,
  ) {}

  /**
   * Claims `ids` for the message `clientId` of `userId`: each must be the user's own upload
   * to this room, not attached to another message. Their metadata in the order given, or
   * null (and nothing claimed) if any is not.
   */
  async claim(userId: string, clientId: string, ids: string[]): Promise<FileInfo[] | null> {
    const { results } = await this.env.DB.prepare(
      `UPDATE files SET message_client_id = ?3, position = j.key
       FROM json_each(?4) AS j
       WHERE files.id = j.value AND files.room_id = ?1 AND files.uploader_id = ?2
         AND (files.message_client_id IS NULL OR files.message_client_id = ?3)
       RETURNING files.id, files.name, files.type, files.size, files.width, files.height, files.position`,
    )
      .bind(this.roomId(), userId, clientId, JSON.stringify(ids))
      .all<FileInfo & { position: number }>();
    if (results.length === ids.length) {
      return results
        .sort((a, b) => a.position - b.position)
        .map(({ id, name, type, size, width, height }) => ({
          id,
          name,
          type,
          size,
          width,
          height,
        }));
    }
    // Some were not the sender's to attach: give back what this claim took. (A claim under
    // the same clientId is this message's own, and no message was stored under it yet.)
    await this.env.DB.prepare(
      `UPDATE files SET message_client_id = NULL, position = NULL
       WHERE room_id = ?1 AND uploader_id = ?2 AND message_client_id = ?3`,
    )
      .bind(this.roomId(), userId, clientId)
      .run();
    return null;
  }

  /**
   * Deletes message `target`'s files: the R2 objects first, then the rows, so a failure
   * leaves rows that a retried delete finds again (and a missing object is served as 404).
   * Null, at once, for a message the log knows to have none.
   */
  release(log: EventLog, target: number): Promise<void> | null {
    const origin = log.messageOrigin(target);
    if (origin && !origin.files) return null;
    return this.deleteFiles(origin, target);
  }

  private async deleteFiles(
    origin: { authorId: string; clientId: string } | null,
    target: number,
  ): Promise<void> {
    const roomId = this.roomId();
    const lookup = origin
      ? this.env.DB.prepare(
          `SELECT id FROM files WHERE room_id = ?1 AND uploader_id = ?2 AND message_client_id = ?3`,
        ).bind(roomId, origin.authorId, origin.clientId)
      : this.env.DB.prepare(
          `SELECT f.id FROM messages m JOIN files f ON f.room_id = m.room_id
             AND f.uploader_id = m.author_id AND f.message_client_id = m.client_id
           WHERE m.room_id = ?1 AND m.seq = ?2`,
        ).bind(roomId, target);
    const { results } = await lookup.all<{ id: string }>();
    if (results.length === 0) return;
    const ids = results.map((r) => r.id);
    await this.env.FILES.delete(ids.map((id) => fileKey(roomId, id)));
    await this.env.DB.prepare(`DELETE FROM files WHERE id IN (SELECT value FROM json_each(?1))`)
      .bind(JSON.stringify(ids))
      .run();
  }
}
