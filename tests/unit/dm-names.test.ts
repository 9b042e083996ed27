/** What a DM is called (src/web/chats/dm-names.ts), with right-to-left names among others. */
import { describe, expect, it } from 'vitest';
import type { UserRef } from '../../src/shared/protocol';
import { dmTitle } from '../../src/web/chats/dm-names';

const person = (id: string, name: string, displayName?: string): UserRef => ({
  id,
  name,
  color: '#000000',
  guest: false,
  ...(displayName && { displayName }),
});

const asIs = (user: UserRef) => user;

describe('dmTitle', () => {
  it('isolates each name of a group, so a right-to-left one keeps to itself', () => {
    const members = [person('a', 'adi', 'עדי 2'), person('b', 'ben'), person('c', 'cy', 'كريم')];
    expect(dmTitle({ kind: 'dm', peer: null, members }, asIs)).toBe(
      '\u2068עדי 2\u2069, \u2068ben\u2069, \u2068كريم\u2069',
    );
  });

  it('names a group by its people as last heard of', () => {
    const members = [person('a', 'adi'), person('b', 'ben')];
    const renamed = (u: UserRef) => (u.id === 'b' ? person('b', 'ben', 'בן') : u);
    expect(dmTitle({ kind: 'dm', peer: null, members }, renamed)).toBe(
      '\u2068adi\u2069, \u2068בן\u2069',
    );
  });

  it('leaves a pair DM’s one name and a room alone', () => {
    expect(dmTitle({ kind: 'dm', peer: person('a', 'adi', 'עדי') }, asIs)).toBe('עדי');
    expect(dmTitle({ kind: 'public', peer: null }, asIs)).toBeUndefined();
  });
});
