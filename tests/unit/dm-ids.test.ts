import { describe, expect, it } from 'vitest';
import { dmMembers, dmRoomId, isGroupDm } from '../../src/shared/dm';

const [a, b, c] = ['0a', '1b', '2c'];

describe('DM ids', () => {
  it('keeps a pair’s id exactly dm:<a>:<b>, sorted, whoever opens it', () => {
    expect(dmRoomId(b, a)).toBe('dm:0a:1b');
    expect(dmRoomId(a, b)).toBe('dm:0a:1b');
    expect(isGroupDm('dm:0a:1b')).toBe(false);
  });

  it('derives one id per set of people: any order, duplicates ignored', () => {
    expect(dmRoomId(c, a, b)).toBe('dm:0a:1b:2c');
    expect(dmRoomId(b, c, a, c)).toBe('dm:0a:1b:2c');
    expect(isGroupDm('dm:0a:1b:2c')).toBe(true);
  });

  it('reads the members of any dm: id, and no members from another chat’s id', () => {
    expect(dmMembers('dm:0a:1b:2c')).toEqual([a, b, c]);
    expect(dmMembers('dm:0a:1b')).toEqual([a, b]);
    // A malformed DM id is still a DM's: it names nobody but who is written in it.
    expect(dmMembers('dm:0a')).toEqual([a]);
    expect(dmMembers('global')).toBeNull();
    expect(dmMembers('room:dm:0a')).toBeNull();
  });
});
