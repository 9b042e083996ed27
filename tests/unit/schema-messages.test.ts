import { describe, expect, it } from 'vitest';
// As the Worker's entry does (the web client does not: its forms' fields say their own).
import '../../src/shared/zod-messages';
import { readCursorBody, roomListQuery } from '../../src/shared/api';
import { clientFrame } from '../../src/shared/protocol';

// The schemas use zod/mini, which has no messages of its own ("Invalid input" for every
// issue) unless zod's English locale is loaded (src/shared/zod-messages.ts).
describe('schema messages without a custom one', () => {
  it('say what was expected, as full zod does', () => {
    expect(readCursorBody.safeParse({ seq: -1 }).error?.issues[0]?.message).toBe(
      'Too small: expected number to be >=0',
    );
    expect(roomListQuery.safeParse({ q: 'x'.repeat(41) }).error?.issues[0]?.message).toBe(
      'Too big: expected string to have <=40 characters',
    );
    expect(
      clientFrame.safeParse({ type: 'edit', target: 'one', text: 'x' }).error?.issues[0]?.message,
    ).toBe('Invalid input: expected number, received string');
  });
});
