/**
 * The widget's page (`/widget`, `/widget.html`), the one page the Worker serves itself: it is
 * the static asset with the same headers as every page (`src/web/public/_headers`), except
 * that any site may frame it, as before, where the app may not be framed at all. Who may
 * embed which room is the widget's own rule (issue 10: per-room allowed origins).
 */
import type { Context } from 'hono';
import type { AppEnv } from './context';

export async function widgetPage(c: Context<AppEnv>): Promise<Response> {
  const asset = await c.env.ASSETS.fetch(c.req.raw);
  const page = new Response(asset.body, asset);
  const csp = page.headers.get('content-security-policy') ?? '';
  page.headers.set(
    'content-security-policy',
    csp
      .split(';')
      .map((directive) => directive.trim())
      .filter((directive) => directive && !directive.startsWith('frame-ancestors'))
      .join('; '),
  );
  page.headers.delete('x-frame-options');
  return page;
}
