/**
 * Development mail: stored in D1's `dev_outbox` and listed at `/api/_dev/outbox` (outbox-page.ts)
 * instead of being sent. Only when DEV_OUTBOX=1, which only `npm start` and the tests set.
 */
import type { Mail, Mailer } from './mailer';

// The page shows the newest; older mails are dropped so the table cannot grow without end.
const KEEP = 200;

export class DevOutbox implements Mailer {
  constructor(private readonly db: D1Database) {}

  async send(mail: Mail): Promise<void> {
    await this.db.batch([
      this.db
        .prepare('INSERT INTO dev_outbox ("to", subject, text, created_at) VALUES (?, ?, ?, ?)')
        .bind(mail.to, mail.subject, mail.text, Date.now()),
      this.db
        .prepare('DELETE FROM dev_outbox WHERE id <= (SELECT max(id) FROM dev_outbox) - ?')
        .bind(KEEP),
    ]);
  }
}
