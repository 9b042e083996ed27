/**
 * `/embed/<room>`: the widget's page, framed on other sites. Its `frame-ancestors` is the
 * room's list of allowed origins (`'none'` when empty), so the browser itself refuses every
 * other site. A site that is not on the list, or a room that cannot be embedded, gets a short
 * refusal page instead of the chat; the framing site is known from the frame request's
 * `Referer` (Chromium sends the origin at least, under the default referrer policy). When a
 * page hides its referrer the chat page is served and `frame-ancestors` alone decides.
 */
import type { Context } from 'hono';
import { embedOriginsOnly } from '../../shared/embed-origins';
import type { AppEnv } from '../context';
import { originAllowed } from '../middleware';
import { embeddableRoom, mayEmbed } from './origins';

// `blob:` images: the panel shows a chat's images from the bytes it fetched with its token
// (src/web/files/fetched.ts), since an `<img>` cannot send one.
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/**
 * The CSP `frame-ancestors` for a list of origins. Only exact embedding origins are written
 * (the same parser the list was saved through): in a CSP source list `*` is a wildcard, a
 * space another source and `;` another directive, so nothing else may reach the header.
 */
export function frameAncestors(origins: readonly string[]): string {
  const sources = embedOriginsOnly(origins);
  return `frame-ancestors ${sources.length ? sources.join(' ') : "'none'"}`;
}

function referrerOrigin(c: Context<AppEnv>): string | undefined {
  const referer = c.req.header('referer');
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

export const REFUSALS = {
  room_not_found: 'This chat does not exist.',
  origin_not_allowed: 'This chat cannot be shown on this site.',
} as const;

/**
 * The refusal: static text only (no script, no form, nothing to click), so any site may frame
 * it; it names neither the room nor the sites that may embed it.
 */
function refusal(reason: keyof typeof REFUSALS, status: 403 | 404): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>Parlor chat</title><style>body{font:15px/1.4 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;text-align:center;padding:1rem;box-sizing:border-box}</style></head><body><p data-testid="embed-refused" data-reason="${reason}" role="status">${REFUSALS[reason]}</p></body></html>`;
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *",
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
    },
  });
}

export async function embedPage(c: Context<AppEnv>): Promise<Response> {
  const room = await embeddableRoom(c.env, c.req.param('room')!);
  if (!room) return refusal('room_not_found', 404);
  const host = referrerOrigin(c);
  // The referrer is Parlor's own page when the app opens the widget itself (a preview);
  // frame-ancestors still decides who frames it.
  if (host && !mayEmbed(room, host) && !originAllowed(host, c.env)) {
    return refusal('origin_not_allowed', 403);
  }
  if (room.origins.length === 0) return refusal('origin_not_allowed', 403);
  // `/widget`, not `/widget.html`: the assets binding redirects the latter to the former.
  const asset = await c.env.ASSETS.fetch(new URL('/widget', c.req.url));
  const page = new Response(asset.body, asset);
  page.headers.set('content-security-policy', `${PAGE_CSP}; ${frameAncestors(room.origins)}`);
  page.headers.delete('x-frame-options');
  // The answer depends on the list, which the owner may change at any time.
  page.headers.set('cache-control', 'no-store');
  page.headers.set('vary', 'referer');
  return page;
}
