/** Mention tokens: found in text, shown by name, picked in the composer and sent by id. */
import { describe, expect, it } from 'vitest';
import { mentionsIn, withNames } from '../../src/shared/mentions';
import { parseMessage } from '../../src/web/conversation/markdown';
import { createMentionPicker } from '../../src/web/conversation/mention-picker';
import { excerpt } from '../../src/web/conversation/excerpt';

const ann = { id: 'id-ann', name: 'ann', color: '#123456', guest: false };
const anna = { id: 'id-anna', name: 'anna', color: '#123456', guest: false };

describe('mention tokens', () => {
  it('are found once each, shown by current name, and parsed as mentions', () => {
    const text = 'hi <@id-ann> and <@id-ann>, <@here>! <@bad id> <@>';
    expect(mentionsIn(text)).toEqual(['id-ann', 'here']);
    expect(withNames(text, (id) => (id === 'id-ann' ? 'Ann' : '?'))).toBe(
      'hi @Ann and @Ann, @here! <@bad id> <@>',
    );
    // Isolated where the text is shown as one string: a right-to-left name keeps its place.
    expect(
      withNames('ping <@id-m>, <@id-s>!', (id) => (id === 'id-m' ? 'مريم' : 'שרה'), true),
    ).toBe('ping \u2068@مريم\u2069, \u2068@שרה\u2069!');
    const [p] = parseMessage('**hey** <@id-ann>');
    expect(p).toEqual({
      type: 'paragraph',
      children: [
        { type: 'strong', children: [{ type: 'text', text: 'hey' }] },
        { type: 'text', text: ' ' },
        { type: 'mention', id: 'id-ann' },
      ],
    });
  });

  it('are picked in the composer by name and sent by id, never matching inside a longer name', async () => {
    const picker = createMentionPicker(
      async (q) => [ann, anna].filter((u) => u.name.startsWith(q)),
      true,
    );
    await picker.typed('hello @an');
    expect(picker.options.value).toEqual([ann, anna]);
    picker.move(1);
    const first = picker.pick('hello @an', 9)!;
    expect(first).toEqual({ text: 'hello @anna ', caret: 12 });
    await picker.typed(`${first.text}and @a`);
    expect(picker.options.value).toEqual([ann, anna]);
    const second = picker.pick(`${first.text}and @a`, first.text.length + 6)!;
    expect(second.text).toBe('hello @anna and @ann ');
    expect(picker.encode(`${second.text}— @here, @annabel`)).toBe(
      'hello <@id-anna> and <@id-ann> — <@here>, @annabel',
    );
    await picker.typed('no at sign');
    expect(picker.options.value).toEqual([]);
  });

  it('offers @here only where it means something (not in a DM)', async () => {
    const inDm = createMentionPicker(async () => [], false);
    await inDm.typed('@he');
    expect(inDm.options.value).toEqual([]);
    expect(inDm.encode('@here')).toBe('@here');
    const inRoom = createMentionPicker(async () => [], true);
    await inRoom.typed('@he');
    expect(inRoom.options.value).toEqual(['here']);
  });
});

describe("a reply's quote", () => {
  const conv = {
    names: {
      current: (u: typeof ann) => u,
      nameOf: (id: string) => (id === 'id-ann' ? 'ann' : '?'),
    },
  } as unknown as Parameters<typeof excerpt>[0];
  const original = (text: string) =>
    ({ seq: 1, author: anna, text, deleted: false }) as Parameters<typeof excerpt>[1];

  it('names mentions instead of showing their tokens, and never cuts a character in two', () => {
    expect(excerpt(conv, original('ask <@id-ann>  about it'))).toEqual({
      who: 'anna',
      text: 'ask \u2068@ann\u2069 about it',
    });
    // 79 characters, then an emoji (two UTF-16 units): cut after it, whole.
    const cut = excerpt(conv, original(`${'x'.repeat(79)}😀 and more`)).text;
    expect(cut).toBe(`${'x'.repeat(79)}😀…`);
  });
});
