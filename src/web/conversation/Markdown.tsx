/**
 * A message's Markdown as elements: every piece of user text is a text node, links are
 * built only from addresses `safeHref` allowed, and no HTML from users is ever parsed.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { loadShortcodes, shortcodes } from '../emoji/load';
import { PersonButton } from '../profile/PersonButton';
import { parseMessage, type Block, type Inline } from './markdown';

/** How mentions show: the person's current name by id, and who is reading. */
export const MentionNames = createContext<{ nameOf: (id: string) => string; meId: string | null }>({
  nameOf: () => 'someone',
  meId: null,
});

interface MarkdownProps {
  text: string;
  /** Shown at the end of the last paragraph (the "edited" marker), or on its own line. */
  trailer?: ComponentChildren;
}

export function Markdown({ text, trailer }: MarkdownProps) {
  const blocks = useMemo(() => parseMessage(text), [text]);
  const last = blocks.at(-1);
  const inLast = last?.type === 'paragraph';
  return (
    <>
      {blocks.map((b, i) => (
        <BlockView key={i} block={b} trailer={inLast && i === blocks.length - 1 ? trailer : null} />
      ))}
      {!inLast && trailer}
    </>
  );
}

function BlockView({ block, trailer }: { block: Block; trailer?: ComponentChildren }) {
  switch (block.type) {
    case 'paragraph':
      return (
        <p class="md-p">
          {/* Isolated (CSS), so a bidi override in the text cannot reorder the trailer. */}
          <span class="md-run">
            <Inlines nodes={block.children} />
          </span>
          {trailer}
        </p>
      );
    case 'code':
      return <CodeBlock lang={block.lang} text={block.text} />;
    case 'quote':
      return (
        <blockquote class="md-quote">
          {block.children.map((b, i) => (
            <BlockView key={i} block={b} />
          ))}
        </blockquote>
      );
    case 'list': {
      const items = block.items.map((item, i) => (
        <li key={i}>
          {item.map((b, j) => (
            <BlockView key={j} block={b} />
          ))}
        </li>
      ));
      return block.ordered ? (
        <ol class="md-list" start={block.start}>
          {items}
        </ol>
      ) : (
        <ul class="md-list">{items}</ul>
      );
    }
  }
}

function Inlines({ nodes }: { nodes: Inline[] }) {
  return (
    <>
      {nodes.map((n, i) => {
        switch (n.type) {
          case 'text':
            return n.text;
          case 'mention':
            return <Mention key={i} id={n.id} />;
          case 'shortcode':
            return <Shortcode key={i} name={n.name} />;
          case 'code':
            return (
              <code key={i} class="md-code">
                {n.text}
              </code>
            );
          case 'strong':
            return (
              <strong key={i}>
                <Inlines nodes={n.children} />
              </strong>
            );
          case 'em':
            return (
              <em key={i}>
                <Inlines nodes={n.children} />
              </em>
            );
          case 'del':
            return (
              <del key={i}>
                <Inlines nodes={n.children} />
              </del>
            );
          case 'link':
            return (
              <a key={i} href={n.href} target="_blank" rel="noopener noreferrer nofollow ugc">
                <Inlines nodes={n.children} />
              </a>
            );
        }
      })}
    </>
  );
}

/** `:name:` as its emoji once the shortcodes are in (loaded on first sight); else as typed. */
function Shortcode({ name }: { name: string }) {
  const map = shortcodes.value;
  useEffect(() => {
    if (!map) void loadShortcodes().catch(() => undefined);
  }, [map]);
  const emoji = map?.get(name);
  if (!emoji) return <>{`:${name}:`}</>;
  return (
    <span
      class="md-emoji"
      role="img"
      aria-label={`:${name}:`}
      title={`:${name}:`}
      data-testid="shortcode-emoji"
    >
      {emoji}
    </span>
  );
}

/**
 * A mention chip: `@name` (current, by id), marked when it is you or everyone here. A
 * person's chip opens their profile card (the card looks them up by id).
 */
function Mention({ id }: { id: string }) {
  const { nameOf, meId } = useContext(MentionNames);
  const chip = `mention${id === meId || id === 'here' ? ' mention-me' : ''}`;
  if (id === 'here')
    return (
      <span class={chip} data-testid="mention" data-user-id={id}>
        @<bdi>here</bdi>
      </span>
    );
  const name = nameOf(id);
  return (
    <PersonButton user={{ id, name, color: '', guest: false }} class={chip} testId="mention">
      @<bdi>{name}</bdi>
    </PersonButton>
  );
}

/** A fenced block: its language named, monospace, scrolling sideways, with a copy button. */
function CodeBlock({ lang, text }: { lang: string | null; text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard?.writeText(text).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      },
      () => {},
    );
  return (
    <div class="md-codeblock" data-testid="code-block">
      <div class="md-codebar">
        <span class="md-lang">{lang ?? 'code'}</span>
        <button type="button" class="link-button" onClick={copy} aria-label="Copy code">
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      {/* Focusable so a keyboard can scroll a long line sideways. */}
      <pre tabIndex={0} aria-label={lang ? `${lang} code` : 'Code'}>
        <code>{text}</code>
      </pre>
    </div>
  );
}
