/**
 * The client's attention and emoji logic as data: whether a notice rings, what the tab title
 * counts, `:shortcode:` parsing, mentions in the edit box, and emoji search over the dataset.
 */
import { describe, expect, it } from 'vitest';
import { defaultNotifyLevel, rings } from '../../src/shared/attention';
import type { ChatListItem } from '../../src/shared/api';
import { parseMessage } from '../../src/web/conversation/markdown';
import { editableText } from '../../src/web/conversation/mentions';
import { buildCatalog, searchCatalog } from '../../src/web/emoji/catalog';
import { buildShortcodes } from '../../src/web/emoji/shortcodes';
import { asRgi } from '../../src/web/emoji/load';
import { loudUnread } from '../../src/web/notifications/title';

describe('rings', () => {
  const now = 1_000_000;
  it('follows the level, mentions and do not disturb', () => {
    expect(rings('all', false, null, now)).toBe(true);
    expect(rings('mentions', false, null, now)).toBe(false);
    expect(rings('mentions', true, null, now)).toBe(true);
    expect(rings('none', true, null, now)).toBe(false);
    expect(rings('all', true, now + 1, now)).toBe(false); // DND on
    expect(rings('all', true, now, now)).toBe(true); // DND just over
  });
  it('defaults DMs to all and rooms to mentions', () => {
    expect([
      defaultNotifyLevel('dm'),
      defaultNotifyLevel('public'),
      defaultNotifyLevel('global'),
    ]).toEqual(['all', 'mentions', 'mentions']);
  });
});

describe('loudUnread (the tab title)', () => {
  const chat = (notify: ChatListItem['notify'], unread: number, mentions: number) =>
    ({ notify, unread, mentions }) as ChatListItem;
  it('counts all of an "all" chat, only mentions of a "mentions" chat, nothing of a muted one', () => {
    expect(loudUnread([chat('all', 5, 0), chat('mentions', 7, 2), chat('none', 9, 3)])).toEqual({
      count: 7,
      mentioned: true,
    });
    expect(loudUnread([chat('mentions', 7, 0), chat('none', 1, 1)])).toEqual({
      count: 0,
      mentioned: false,
    });
  });
});

describe(':shortcode: in messages', () => {
  it('parses a shortcode as one, and leaves times, code and links alone', () => {
    expect(parseMessage('yay :tada: at 10:30')).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'yay ' },
          { type: 'shortcode', name: 'tada' },
          { type: 'text', text: ' at 10:30' },
        ],
      },
    ]);
    expect(parseMessage('`:tada:`')).toEqual([
      { type: 'paragraph', children: [{ type: 'code', text: ':tada:' }] },
    ]);
    expect(parseMessage(':Not A Code: https://example.com/a:b:c')[0]).toMatchObject({
      children: [
        { type: 'text', text: ':Not A Code: ' },
        { type: 'link', href: 'https://example.com/a:b:c' },
      ],
    });
  });
  it('knows GitHub’s shortcodes, as emoji the server takes as reactions', () => {
    const map = buildShortcodes(asRgi);
    expect([map.get('tada'), map.get('+1'), map.get('rocket'), map.get('sunny')]).toEqual([
      '🎉',
      '👍',
      '🚀',
      '☀️',
    ]);
    expect(map.get('script')).toBeUndefined();
  });
});

describe('emoji search', () => {
  const catalog = buildCatalog(asRgi);
  it('finds by shortcode, name and keyword, exact words first', () => {
    expect(searchCatalog(catalog, 'tada')[0]?.emoji).toBe('🎉');
    expect(searchCatalog(catalog, 'party popper')[0]?.emoji).toBe('🎉');
    expect(searchCatalog(catalog, ':thumbsup:')[0]?.emoji).toBe('👍');
    expect(searchCatalog(catalog, 'zzzz-nothing')).toEqual([]);
    expect(searchCatalog(catalog, '   ')).toEqual([]);
  });
  it('holds only emoji, no skin-tone parts', () => {
    expect(catalog.entries.length).toBeGreaterThan(1500);
    expect(catalog.entries.every((e) => asRgi(e.emoji) === e.emoji)).toBe(true);
    // Components (a lone skin tone, hair) are parts of emoji, not emoji to pick.
    expect(catalog.entries.some((e) => /^\p{Emoji_Modifier}$/u.test(e.emoji))).toBe(false);
    expect(catalog.entries.some((e) => e.emoji === '🦰')).toBe(false);
  });
});

describe('mentions in the edit box', () => {
  const names: Record<string, string> = { u1: 'ann', u2: 'anna' };
  const nameOf = (id: string) => names[id] ?? 'someone';
  it('shows names and saves the same people as tokens, longest name first', () => {
    const { text, encode } = editableText('hi <@u1> and <@u2>, <@here>', nameOf, true);
    expect(text).toBe('hi @ann and @anna, @here');
    expect(encode(`${text} (edited)`)).toBe('hi <@u1> and <@u2>, <@here> (edited)');
  });
  it('keeps two people shown under one name apart (same display name, or names not loaded)', () => {
    const { text, encode } = editableText('<@u3> meet <@u4> and <@u3>', nameOf, true);
    expect(text).toBe('@someone meet @someone (2) and @someone');
    expect(encode(text)).toBe('<@u3> meet <@u4> and <@u3>');
    expect(encode('@someone (2) first')).toBe('<@u4> first');
  });
  it('drops a mention whose name was deleted, and keeps @here as text in a DM', () => {
    const { encode } = editableText('<@u1> look', nameOf, false);
    expect(encode('look')).toBe('look');
    expect(encode('@ann and @here')).toBe('<@u1> and @here');
  });
});
