/**
 * The security suite's XSS test: payloads an attacker can put anywhere a person's text
 * appears (messages through Markdown, a room's name and topic, a display name), sent through
 * the real server and rendered in real Chromium for another person. None may run (no dialog,
 * no global set, no element or attribute of the attacker's making), no link may lead
 * anywhere but http(s) and mailto, and bidi overrides stay inside their own text.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, unique } from './suite';
import { byTestId, conversationReady, sendOverSocket, until } from './ui';

// The attacker sends every payload at once: above the production rate limit, which has its own tests.
const suite = browserSuite({ MESSAGE_BURST: '100', MESSAGE_RATE_PER_SECOND: '100' });
const { browsers } = suite;

/** Each sets window.__pwned (or opens a dialog) if it ever runs. */
const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=2</script>',
  '<svg onload="window.__pwned=3"><circle r=9 /></svg>',
  '<iframe srcdoc="<script>parent.__pwned=4</script>"></iframe>',
  '[click](javascript:window.__pwned=5)',
  '[click](JaVaScRiPt:window.__pwned=6)',
  '[click](  javascript:alert(7))',
  '[click](data:text/html,<script>alert(8)</script>)',
  '[click](vbscript:msgbox(9))',
  '<a href="javascript:alert(10)">x</a>',
  '![img](javascript:alert(11))',
  '![img](x" onerror="window.__pwned=12)',
  '[x](https://example.org/" onmouseover="window.__pwned=13)',
  '`<img src=x onerror=alert(14)>`',
  '```html\n<img src=x onerror=alert(15)>\n```',
  '> <img src=x onerror=alert(16)>',
  '**<b onclick=alert(17)>bold</b>**',
  'www.example.org/"><img src=x onerror=alert(18)>',
  '<<script>script>alert(19)<</script>/script>',
  '&lt;img src=x onerror=alert(20)&gt;',
  '[a](https://ok.example/)<style>body{display:none}</style>',
  'zero\u200Bwidth <im\u200Bg src=x onerror=alert(21)>',
  '\u202Eevil.exe\u202C and more text',
  '<@"><img src=x onerror=alert(22)>>',
  ':tada: <math><mi xlink:href="javascript:alert(23)">x</mi></math>',
];

describe('XSS through the real server', () => {
  it('renders every payload as inert text in messages, names and topics', async () => {
    const [eve, bo] = await Promise.all([
      suite.api.guest(unique('eve')),
      suite.api.guest(unique('bo')),
    ]);
    // The room's name and topic are the attacker's too.
    const { status, body } = await suite.api.call('/rooms', {
      json: { name: '<img src=x onerror=alert(1)>', topic: PAYLOADS[2] },
      token: eve.token,
    });
    expect(status).toBe(201);
    const room = body.room as { id: string };
    const joined = await suite.api.call(`/rooms/${room.id}/join`, { json: {}, token: bo.token });
    expect(joined.status).toBe(200);
    await sendOverSocket(suite.api, room.id, eve, PAYLOADS);

    const page = await browsers.open({ as: bo, path: `/c/${room.id}` });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await conversationReady(page, room.id);
    await until(() => page.locator('[data-testid="message-text"]').count()).toBe(PAYLOADS.length);

    // Hover and focus everything a person might touch: handlers would fire now.
    const texts = page.locator('[data-testid="message-text"]');
    for (let i = 0; i < PAYLOADS.length; i++) await texts.nth(i).hover();
    const links = texts.locator('a');
    for (let i = 0; i < (await links.count()); i++) await links.nth(i).focus();

    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();

    const inMessages = await texts.evaluateAll((nodes) => {
      const all = nodes.flatMap((n) => [n, ...Array.from(n.querySelectorAll('*'))]);
      return {
        tags: [...new Set(all.map((e) => e.tagName.toLowerCase()))].sort(),
        handlers: all.flatMap((e) =>
          Array.from(e.attributes)
            .filter((a) => a.name.startsWith('on'))
            .map((a) => a.name),
        ),
        styles: all.filter((e) => e.hasAttribute('style')).length,
        hrefs: all.flatMap((e) => (e.getAttribute('href') ? [e.getAttribute('href')!] : [])),
        srcs: all.flatMap((e) => (e.getAttribute('src') ? [e.getAttribute('src')!] : [])),
      };
    });
    // Only what Markdown makes; nothing that runs or loads.
    for (const tag of inMessages.tags) {
      expect([
        'div',
        'p',
        'span',
        'strong',
        'em',
        'del',
        'code',
        'pre',
        'blockquote',
        'ul',
        'ol',
        'li',
        'a',
        'br',
        'button',
        'bdi',
      ]).toContain(tag);
    }
    expect(inMessages.handlers).toEqual([]);
    expect(inMessages.styles).toBe(0);
    expect(inMessages.srcs).toEqual([]);
    for (const href of inMessages.hrefs) expect(href).toMatch(/^(https?:|mailto:)/);

    // The raw-HTML payloads arrived as their own characters.
    expect(await texts.nth(0).textContent()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await texts.nth(1).textContent()).toContain('<script>');

    // The room's name and topic: text, in their place.
    const header = page.locator('#conversation-title');
    if (await header.count()) {
      expect(await header.first().textContent()).toContain('<img src=x onerror=alert(1)>');
    }
    expect(await page.locator('#app img[onerror], #app script, #app iframe').count()).toBe(0);

    // A right-to-left override cannot reach outside its message: the text is isolated.
    const bidi = texts.nth(PAYLOADS.findIndex((p) => p.startsWith('\u202E')));
    const isolation = await bidi.evaluate((el) => {
      const style = getComputedStyle(el);
      return { dir: el.getAttribute('dir'), unicodeBidi: style.unicodeBidi };
    });
    expect(
      isolation.dir === 'auto' ||
        ['isolate', 'plaintext', 'isolate-override'].includes(isolation.unicodeBidi),
    ).toBe(true);
  });
});
