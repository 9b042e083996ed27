/**
 * The Markdown subset a message may use, parsed into plain data that the renderer turns into
 * elements (never HTML): bold, italic, strikethrough, inline code, fenced code blocks with a
 * language, block quotes (their `>` lines), lists, links (`[text](url)`, with an optional
 * `"title"` that is not shown, `<url>`, bare `https://…`, `www.…` and `example.com/path`; an
 * image, `![alt](url)`, is a link named by its alt text). Anything else — headings, tables,
 * raw HTML — stays text.
 *
 * Parsing is @khanacademy/simple-markdown (Khan Academy's kept fork of the parser Discord's
 * chat formatting grew from: ~6 KB gzip, rule-based, so the subset is a list of rules here).
 * Links go through `safeHref`: only http, https and mailto survive.
 */
import SimpleMarkdown, {
  type Capture,
  type ParserRules,
  type SingleASTNode,
  type State,
} from '@khanacademy/simple-markdown';
import { MENTION } from '../../shared/mentions';
import { safeHref, trimEnd } from './linkify';
import { OVERRIDES } from './unmark';

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'mention'; id: string }
  | { type: 'shortcode'; name: string }
  | { type: 'code'; text: string }
  | { type: 'strong' | 'em' | 'del'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'code'; lang: string | null; text: string }
  | { type: 'quote'; children: Block[] }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] };

const rules = SimpleMarkdown.defaultRules;

// A bare address: with a scheme, starting `www.`, or a domain followed by a path.
const BARE_LINK =
  /^(?:(?:https?:\/\/|mailto:)[^\s<]+|www\.[^\s<]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/[^\s<]*)/i;
// Where plain text must stop so that a bare link starting there is seen: simple-markdown's
// own stop list, plus `www.` and `domain.tld/` at a word start.
const TEXT =
  /^[\s\S]+?(?=[^0-9A-Za-z\s\u00c0-\uffff]|\n\n| {2,}\n|\w+:\S|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/|$)/i;

const bareLink = {
  order: rules.url.order,
  // The capture is the address without the sentence's punctuation, which stays text.
  match(source: string, state: State): Capture | null {
    const found = state.inline ? BARE_LINK.exec(source) : null;
    const text = found ? trimEnd(found[0]) : '';
    if (!text) return null;
    return Object.assign([text], { index: 0, input: source }) as Capture;
  },
  parse(capture: Capture) {
    const text = capture[0]!;
    const href = safeHref(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
    return { type: href ? 'link' : 'text', target: href, content: text, bare: true };
  },
};

// Deeper quotes, lists or emphasis than this stay text: the parser recurses per level, and a
// message of 4,000 `- ` would otherwise exhaust the stack.
const MAX_NESTING = 8;

type Rule = ParserRules[string];

/** `rule`, refused past MAX_NESTING levels of the rules wrapped this way. */
function bounded(rule: Rule): Rule {
  return {
    ...rule,
    match: (source, state, previous) =>
      ((state.nesting as number | undefined) ?? 0) >= MAX_NESTING
        ? null
        : rule.match(source, state, previous),
    parse(capture, nestedParse, state) {
      state.nesting = ((state.nesting as number | undefined) ?? 0) + 1;
      try {
        return rule.parse(capture, nestedParse, state);
      } finally {
        state.nesting -= 1;
      }
    },
  };
}

/**
 * Inline code, found in linear time: simple-markdown's own pattern backtracks
 * catastrophically on a long run of backticks (20 s for 4,000 of them).
 */
const inlineCode: Rule = {
  ...rules.inlineCode,
  match(source, state, previous) {
    // Only at the start of a run of backticks: inside one, the run already failed to open.
    if (!state.inline || source[0] !== '`' || previous.endsWith('`')) return null;
    let ticks = 1;
    while (source[ticks] === '`') ticks += 1;
    const fence = '`'.repeat(ticks);
    for (let at = source.indexOf(fence, ticks); at !== -1; at = source.indexOf(fence, at + 1)) {
      // The closing run is exactly as long as the opening one, with something between.
      if (source[at + ticks] === '`' || source[at - 1] === '`' || at === ticks) continue;
      return Object.assign([source.slice(0, at + ticks), fence, source.slice(ticks, at)], {
        index: 0,
        input: source,
      }) as Capture;
    }
    return null;
  },
};

/**
 * `[text](address)`, found in linear time (simple-markdown's pattern takes seconds on a
 * message of repeated `[a](`). Brackets in the text and parentheses in the address nest; an
 * address has no spaces, and may be followed by a `"title"`, which is not shown. An image,
 * `![alt](address)`, is a link to it named by its alt text: nothing is fetched.
 */
const link: Rule = {
  ...rules.link,
  match(source, state) {
    if (!state.inline) return null;
    const bang = source[0] === '!' ? 1 : 0;
    if (source[bang] !== '[') return null;
    const textEnd = closing(source, bang, '[', ']');
    if (textEnd === -1 || source[textEnd + 1] !== '(') return null;
    const end = closing(source, textEnd + 1, '(', ')');
    if (end === -1) return null;
    const target = /^(\S+)(?:\s+"[^"]*")?$/.exec(source.slice(textEnd + 2, end));
    if (!target) return null;
    return Object.assign([source.slice(0, end + 1), source.slice(bang + 1, textEnd), target[1]], {
      index: 0,
      input: source,
    }) as Capture;
  },
  parse: (capture, nestedParse, state) => ({
    content: nestedParse(capture[1]!, state),
    target: capture[2],
  }),
};

/** The index of the `close` matching the `open` at `from`, or -1 (a line break ends the search). */
function closing(source: string, from: number, open: string, close: string): number {
  let depth = 0;
  for (let i = from; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (c === '\n') return -1;
    else if (c === open) depth += 1;
    else if (c === close && --depth === 0) return i;
  }
  return -1;
}

/*
 * `<https://…>` and `<name@host>` as simple-markdown's own rules read them, except that no part
 * may cross a `<` (nor the address's halves an `@`). Theirs, `^<([^ >]+@[^ >]+)>`, tried at
 * every `<`, backtracks in cubic time: '<a@' × 1,333 (4,000 characters, one message) took 2.6 s
 * to parse, enough to freeze every reader's tab (tests/unit/markdown.test.ts).
 */
const AUTOLINK = /^<([^: <>]+:\/[^ <>]+)>/;
const MAILTO = /^<([^ <>@]+@[^ <>@]+)>/;

/** `<@id>` / `<@here>`: a mention, by id (the token of src/shared/mentions.ts). */
const MENTION_AT_START = new RegExp(`^${MENTION.source}`);
const mention: Rule = {
  order: rules.autolink.order - 0.5,
  match: (source, state) => (state.inline ? MENTION_AT_START.exec(source) : null),
  parse: (capture) => ({ type: 'mention', id: capture[1] }),
};

/** `:tada:`: an emoji by its shortcode (shown as the emoji once the shortcodes are loaded). */
const SHORTCODE = /^:([a-z0-9_+-]{1,40}):/;
const shortcode: Rule = {
  order: rules.text.order - 0.5,
  match: (source, state) => (state.inline ? SHORTCODE.exec(source) : null),
  parse: (capture) => ({ type: 'shortcode', name: capture[1] }),
};

/**
 * `> ` lines, and only those: the line after the last one is not quoted, as chat apps read a
 * quote (simple-markdown's own rule, Markdown's, takes every line up to a blank one).
 */
const QUOTE = /^(?: *>[^\n]*(?:\n|$))+/;
const blockQuote: Rule = {
  ...rules.blockQuote,
  match: (source, state) => (state.inline ? null : QUOTE.exec(source)),
  parse: (capture, nestedParse, state) => ({
    content: nestedParse(`${capture[0]!.replace(/^ *> ?/gm, '')}\n\n`, state),
  }),
};

const subset: ParserRules = {
  mention,
  shortcode,
  fence: rules.fence,
  blockQuote: bounded(blockQuote),
  list: bounded(rules.list),
  newline: rules.newline,
  paragraph: rules.paragraph,
  escape: rules.escape,
  autolink: { ...rules.autolink, match: SimpleMarkdown.inlineRegex(AUTOLINK) },
  mailto: { ...rules.mailto, match: SimpleMarkdown.inlineRegex(MAILTO) },
  url: bareLink,
  link: bounded(link),
  strong: bounded(rules.strong),
  em: bounded(rules.em),
  del: bounded(rules.del),
  inlineCode,
  text: {
    ...rules.text,
    match: (source: string, state: State) => (state.inline ? TEXT.exec(source) : null),
  },
};

const parser = SimpleMarkdown.parserFor(subset);

/** A message's blocks. Text that is not Markdown comes back as one paragraph of itself. */
export function parseMessage(text: string): Block[] {
  // Bidi overrides (LRO, RLO: U+202D, U+202E) are left out of what is shown: one makes
  // "invoice\u202Efdp.exe" read as "invoiceexe.pdf", and no script needs one (the letters'
  // own directions and dir=auto place them). Embeddings, isolates and marks stay, as
  // right-to-left writing uses them. The stored text is unchanged.
  return toBlocks(parser(`${text.replace(OVERRIDES, '')}\n\n`, { inline: false }));
}

function toBlocks(nodes: SingleASTNode[]): Block[] {
  const out: Block[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'paragraph':
        out.push({ type: 'paragraph', children: toInlines(node.content) });
        break;
      case 'codeBlock':
        out.push({ type: 'code', lang: node.lang || null, text: node.content as string });
        break;
      case 'blockQuote':
        out.push({ type: 'quote', children: toBlocks(node.content) });
        break;
      case 'list':
        out.push({
          type: 'list',
          ordered: Boolean(node.ordered),
          start: typeof node.start === 'number' ? node.start : 1,
          items: (node.items as SingleASTNode[][]).map(toItem),
        });
        break;
      case 'newline':
        break;
      default:
        // Inline content at block level (a list item's text): a paragraph of it.
        out.push({ type: 'paragraph', children: toInlines([node]) });
    }
  }
  return out;
}

/** A list item: its inline runs gathered into paragraphs, its nested blocks kept. */
function toItem(nodes: SingleASTNode[]): Block[] {
  const out: Block[] = [];
  let run: SingleASTNode[] = [];
  const flush = () => {
    if (run.length > 0) out.push({ type: 'paragraph', children: toInlines(run) });
    run = [];
  };
  for (const node of nodes) {
    if (['paragraph', 'codeBlock', 'blockQuote', 'list'].includes(node.type)) {
      flush();
      out.push(...toBlocks([node]));
    } else run.push(node);
  }
  flush();
  return out;
}

function toInlines(content: SingleASTNode[] | string): Inline[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const out: Inline[] = [];
  for (const node of content) {
    const next = toInline(node);
    const last = out.at(-1);
    // Adjacent text runs (the parser splits at every punctuation mark) become one.
    if (next.type === 'text' && last?.type === 'text') last.text += next.text;
    else out.push(next);
  }
  return out;
}

function toInline(node: SingleASTNode): Inline {
  switch (node.type) {
    case 'strong':
    case 'em':
    case 'del':
      return { type: node.type, children: toInlines(node.content) };
    case 'inlineCode':
      return { type: 'code', text: node.content as string };
    case 'mention':
      return { type: 'mention', id: node.id as string };
    case 'shortcode':
      return { type: 'shortcode', name: node.name as string };
    case 'link': {
      const href = node.target ? safeHref(node.target as string) : null;
      const children = toInlines(node.content);
      if (!href) return { type: 'text', text: plain(children) };
      // A label that is itself an address elsewhere ("[https://bank.example](https://evil…)")
      // would say one site and open another, and an empty one (`![](address)`, a pasted
      // screenshot's) says nothing: such a link shows where it goes instead.
      const label = plain(children);
      if (!label.trim() || (hostOf(label) && hostOf(label) !== hostOf(href)))
        return { type: 'link', href, children: unbidi([{ type: 'text', text: href }]) };
      return { type: 'link', href, children: unbidi(children) };
    }
    case 'text':
      return { type: 'text', text: node.content as string };
    default:
      return { type: 'text', text: typeof node.content === 'string' ? node.content : '' };
  }
}

/** The host a text names when it reads as an address (`https://a.example/x`, `a.example`). */
function hostOf(text: string): string | null {
  const t = text.trim();
  if (!/^(https?:\/\/)?[\w-]+(\.[\w-]+)+([/?#:]\S*)?$/i.test(t)) return null;
  try {
    return new URL(/^https?:/i.test(t) ? t : `https://${t}`).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}

// Bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): in a link's text
// they could make it read as another address (`https://evil.example/\u202Emoc.elgoog.www//:sptth`).
const BIDI = /\p{Bidi_C}/gu;

/** A link's text with each bidi control shown as its %-escape, as the address itself has it. */
function unbidi(nodes: Inline[]): Inline[] {
  return nodes.map((n) =>
    'text' in n
      ? { ...n, text: n.text.replace(BIDI, encodeURIComponent) }
      : 'children' in n
        ? { ...n, children: unbidi(n.children) }
        : n,
  );
}

/** The text of inline content, for a link whose address was refused. */
function plain(children: Inline[]): string {
  return children
    .map((c) =>
      c.type === 'text' || c.type === 'code'
        ? c.text
        : c.type === 'mention'
          ? `<@${c.id}>`
          : c.type === 'shortcode'
            ? `:${c.name}:`
            : plain(c.children),
    )
    .join('');
}
