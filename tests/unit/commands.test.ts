/** Slash commands: what `/shrug` and `/me` send, and that nothing else is touched. */
import { describe, expect, it } from 'vitest';
import { expandCommand } from '../../src/web/conversation/commands';
import { parseMessage } from '../../src/web/conversation/markdown';
import { plainText } from '../../src/web/conversation/unmark';

/** The text a message's blocks show. */
const shown = (text: string) => JSON.stringify(parseMessage(text));

describe('slash commands', () => {
  it('puts the shrug after the text, shown literally (no italics, its backslash kept)', () => {
    expect(expandCommand('/shrug')).toBe('¯\\\\\\_(ツ)\\_/¯');
    expect(expandCommand('/SHRUG  no idea ')).toBe('no idea ¯\\\\\\_(ツ)\\_/¯');
    expect(shown(expandCommand('/shrug'))).not.toContain('"em"');
    expect(plainText(expandCommand('/shrug no idea'))).toBe('no idea ¯\\_(ツ)_/¯');
  });

  it('says /me in italics, and leaves a bare /me, other commands and paths as typed', () => {
    expect(expandCommand('/me waves')).toBe('_waves_');
    expect(plainText(expandCommand('/me waves'))).toBe('waves');
    for (const text of ['/me', '/giphy cat', '/usr/bin is full', '1/2 done', '/meeting at 3'])
      expect(expandCommand(text)).toBe(text);
  });
});

describe('a preview of italics', () => {
  it('drops single * and _ around words, not inside one', () => {
    expect(plainText('*really* _now_ and snake_case_name, 2 * 3 * 4')).toBe(
      'really now and snake_case_name, 2 * 3 * 4',
    );
    expect(plainText('**bold** and *em*')).toBe('bold and em');
  });
});
