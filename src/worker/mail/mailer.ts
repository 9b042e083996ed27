/**
 * Sending mail: the one interface account care uses (verification and reset links), and the
 * choice of implementation from configuration. Parlor ships two: an HTTP mail API (any
 * provider that takes a JSON POST with a bearer key; docs/security.md, "Mail") and, for
 * development only, an outbox in D1 shown at `/api/_dev/outbox`. Neither configured: mail is
 * not sent, and the features that need it say so.
 */
import { DevOutbox } from './dev-outbox';
import { HttpMailer } from './http-mailer';

export interface Mail {
  to: string;
  subject: string;
  /** Plain text only: no HTML mail, so no markup from anyone ever reaches a mail client. */
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** Mail settings: secrets and development switches that `wrangler.toml` must not carry. */
export interface MailEnv {
  /** "1" turns the development outbox on (`npm start` and the tests pass it; never deploy it). */
  DEV_OUTBOX?: string;
  /** The provider's send endpoint, e.g. `https://api.resend.com/emails`. */
  MAIL_API_URL?: string;
  /** The provider's key (`wrangler secret put MAIL_API_KEY`), sent as `Authorization: Bearer`. */
  MAIL_API_KEY?: string;
  /** The sender, e.g. `Parlor <no-reply@chat.example.com>`. */
  MAIL_FROM?: string;
}

/** The configured mailer, or null when mail cannot be sent. A provider wins over the outbox. */
export function mailerFor(env: Env): Mailer | null {
  const mail = env as Env & MailEnv;
  if (mail.MAIL_API_URL && mail.MAIL_API_KEY && mail.MAIL_FROM) {
    return new HttpMailer(mail.MAIL_API_URL, mail.MAIL_API_KEY, mail.MAIL_FROM);
  }
  if (devOutboxOn(env)) return new DevOutbox(env.DB);
  return null;
}

export function devOutboxOn(env: Env): boolean {
  return (env as Env & MailEnv).DEV_OUTBOX === '1';
}
