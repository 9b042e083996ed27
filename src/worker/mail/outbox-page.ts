/**
 * `GET /api/_dev/outbox`: the development outbox as a page, newest mail first. 404 unless
 * DEV_OUTBOX=1. Every mail's text is escaped; only the links Parlor itself put in (to one of
 * its own origins) become clickable.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { originList } from '../middleware';
import { devOutboxOn } from './mailer';

interface Row {
  id: number;
  to: string;
  subject: string;
  text: string;
  created_at: number;
}

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The text, escaped, with links to Parlor's own origins made clickable. */
function withLinks(text: string, origins: string[]): string {
  return text
    .split(/(https?:\/\/\S+)/)
    .map((part, i) => {
      const own = i % 2 === 1 && origins.some((o) => part.startsWith(`${o}/`));
      return own ? `<a href="${escape(part)}">${escape(part)}</a>` : escape(part);
    })
    .join('');
}

export const devOutboxPage = new Hono<AppEnv>().get('/outbox', async (c) => {
  if (!devOutboxOn(c.env))
    throw new ApiError(404, 'not_found', 'No route for GET /api/_dev/outbox');
  const { results } = await c.env.DB.prepare(
    'SELECT id, "to", subject, text, created_at FROM dev_outbox ORDER BY id DESC LIMIT 50',
  ).all<Row>();
  const origins = originList(c.env.APP_ORIGINS);
  const mails = results
    .map(
      (m) => `<article data-testid="outbox-mail">
  <h2>${escape(m.subject)}</h2>
  <p>To <span data-testid="outbox-to">${escape(m.to)}</span> · ${new Date(m.created_at).toISOString()}</p>
  <pre>${withLinks(m.text, origins)}</pre>
</article>`,
    )
    .join('\n');
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parlor dev outbox</title></head>
<body><h1>Dev outbox</h1>
<p>Mail Parlor would have sent (DEV_OUTBOX=1; never on a deployment).</p>
${mails || '<p>No mail yet.</p>'}
</body></html>`;
  return c.html(page, 200);
});
