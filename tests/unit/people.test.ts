/**
 * The client's people (src/web/presence/people.ts): how messages, notices, reaction lists and
 * pins name someone. Everyone is named as messages name them: display name, else username.
 */
import { describe, expect, it } from 'vitest';
import type { UserRef } from '../../src/shared/protocol';
import { createPeople } from '../../src/web/presence/people';

const ann: UserRef = { id: 'ann', name: 'ann', color: '#112233', guest: false };
const annShown: UserRef = { ...ann, displayName: 'Ann Lee' };

describe('people', () => {
  it('never lets a learned copy without the display name hide the one a message carries', () => {
    const people = createPeople();
    // A replayed reaction's or notice's copy of Ann, made before her display name was known.
    people.learn([ann]);
    expect(people.current(annShown)).toEqual(annShown);
    // A message that carries no display name still shows what it carries.
    expect(people.current(ann)).toEqual(ann);
  });

  it('keeps a current record over the copies notices and reactions bring', () => {
    const people = createPeople();
    people.update(annShown);
    people.learn([ann]);
    expect(people.current(ann)).toEqual(annShown);
    // A later current record without the display name (she removed it) is taken.
    people.update(ann);
    expect(people.current(annShown)).toEqual(ann);
  });

  it('names an id alone by display name where people are listed, by username for a mention', async () => {
    const asked: string[] = [];
    const people = createPeople(async (id) => {
      asked.push(id);
      return annShown;
    });
    expect(people.shownNameOf('ann')).toBe('someone');
    await Promise.resolve();
    await Promise.resolve();
    expect(people.shownNameOf('ann')).toBe('Ann Lee');
    expect(people.nameOf('ann')).toBe('ann');
    expect(asked).toEqual(['ann']);
  });
});
