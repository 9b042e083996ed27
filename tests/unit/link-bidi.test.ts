/**
 * A link's shown text never carries a bidi control: an override inside an auto-linked address
 * could make `https://evil.example/…` read as `https://www.google.com` (issue: bidi in links).
 */
import { describe, expect, it } from 'vitest';
import { parseMessage, type Inline } from '../../src/web/conversation/markdown';

// Every bidi control the Unicode Bidi_Control property lists.
const CONTROLS = [
  '\u061c',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];
const ANY_CONTROL = new RegExp(`[${CONTROLS.join('')}]`);
const OVERRIDES = ['\u202d', '\u202e'];

/** The inline nodes of a one-paragraph message. */
function inlines(text: string): Inline[] {
  const [block, ...rest] = parseMessage(text);
  expect(rest).toEqual([]);
  if (block?.type !== 'paragraph') throw new Error(`not one paragraph: ${block?.type}`);
  return block.children;
}

/** The text a node shows, nested formatting included. */
function shown(node: Inline): string {
  if ('text' in node) return node.text;
  if ('children' in node) return node.children.map(shown).join('');
  return '';
}

const links = (nodes: Inline[]) => nodes.filter((n) => n.type === 'link');

describe('bidi controls in links', () => {
  it('drops an override inside a bare address, so the link reads as where it goes', () => {
    const nodes = inlines('see https://evil.example/\u202Emoc.elgoog.www//:sptth ok');
    expect(nodes).toEqual([
      { type: 'text', text: 'see ' },
      {
        type: 'link',
        href: 'https://evil.example/moc.elgoog.www//:sptth',
        children: [{ type: 'text', text: 'https://evil.example/moc.elgoog.www//:sptth' }],
      },
      // The text after the link is untouched (the link is isolated by CSS when shown).
      { type: 'text', text: ' ok' },
    ]);
  });

  it('drops overrides (LRO, RLO) from a message everywhere: an "invoice fdp.exe" spoof shows as written', () => {
    expect(inlines('invoice\u202Efdp.exe and \u202Dabc')).toEqual([
      { type: 'text', text: 'invoicefdp.exe and abc' },
    ]);
  });

  it.each(CONTROLS.map((c) => [c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0'), c]))(
    'keeps U+%s out of the text of bare, <angle>, www. and labelled links',
    (_, c) => {
      const message = [
        `https://a.example/x${c}y`,
        `<https://b.example/${c}z>`,
        `www.c${c}.example/p`,
        `[la${c}bel **bo${c}ld**](https://d.example/)`,
        `e.example/p${c}q`,
      ].join(' and ');
      const found = links(inlines(message));
      expect(found.length).toBeGreaterThanOrEqual(4);
      for (const link of found) expect(shown(link)).not.toMatch(ANY_CONTROL);
      // Each control is shown as its %-escape, not silently dropped (overrides are dropped
      // from the whole message before it is read).
      const escaped = OVERRIDES.includes(c) ? '' : encodeURIComponent(c);
      expect(shown(found[0]!)).toBe(`https://a.example/x${escaped}y`);
    },
  );

  it('leaves bidi controls in plain text alone (right-to-left writing needs them)', () => {
    const nodes = inlines('\u202Bשלום\u202C and \u2067abc\u2069');
    expect(nodes).toEqual([{ type: 'text', text: '\u202Bשלום\u202C and \u2067abc\u2069' }]);
  });

  it('keeps right-to-left letters in a link label', () => {
    const [link] = links(inlines('[שלום עולם](https://e.example/)'));
    expect(link).toEqual({
      type: 'link',
      href: 'https://e.example/',
      children: [{ type: 'text', text: 'שלום עולם' }],
    });
  });

  it('shows where a link goes when its label names another address', () => {
    const [phish] = links(inlines('[https://paypal.com/login](https://evil.example/phish)'));
    expect(phish).toEqual({
      type: 'link',
      href: 'https://evil.example/phish',
      children: [{ type: 'text', text: 'https://evil.example/phish' }],
    });
    const [bare] = links(inlines('[paypal.com](https://evil.example/)'));
    expect(shown(bare!)).toBe('https://evil.example/');
    // A label naming the same site, or no site at all, stays as written.
    for (const [label, href] of [
      ['example.com', 'https://www.example.com/a'],
      ['https://example.com/docs', 'https://example.com/docs'],
      ['the docs', 'https://example.com/docs'],
      ['v1.2', 'https://example.com/'],
    ]) {
      const [link] = links(inlines(`[${label}](${href})`));
      expect(shown(link!)).toBe(label);
    }
  });
});
