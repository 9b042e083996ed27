/**
 * A mail provider's HTTP API: one JSON POST per mail with the key as a bearer token. The body
 * (`from`, `to` as a list, `subject`, `text`) is what Resend takes as is; Postmark, SendGrid,
 * Mailgun and others take the same facts under other names, and a deployment that uses one
 * of them changes `body()` (docs/security.md, "Mail").
 */
import type { Mail, Mailer } from './mailer';

export class HttpMailer implements Mailer {
  constructor(
    private readonly url: string,
    private readonly key: string,
    private readonly from: string,
  ) {}

  async send(mail: Mail): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(this.body(mail)),
    });
    // The provider's answer may quote the key or the address: only the status is logged.
    if (!res.ok) throw new Error(`mail provider answered ${res.status}`);
  }

  private body(mail: Mail) {
    return { from: this.from, to: [mail.to], subject: mail.subject, text: mail.text };
  }
}
