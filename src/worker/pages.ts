/**
 * The widget's page (`/widget`, `/widget.html`), the one page the Worker serves itself: it is
 * the static asset with the same headers as every page (`src/web/public/_headers`), except
 * that the pages in ALLOWED_ORIGINS may frame it, where the app may not be framed at all.
 */
import type { Context } from 'hono';
import type { AppEnv } from './context';
import { widgetFrameAncestors } from './middleware';

export async function widgetPage(c: Context<AppEnv>): Promise<Response> {
  const asset = await c.env.ASSETS.fetch(c.req.raw);
  const page = new Response(asset.body, asset);
  const csp = page.headers.get('content-security-policy') ?? '';
  page.headers.set(
    'content-security-policy',
    csp.replace(/frame-ancestors[^;]*/, `frame-ancestors ${widgetFrameAncestors(c.env)}`),
  );
  page.headers.delete('x-frame-options');
  return page;
}
