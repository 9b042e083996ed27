/**
 * The 4,000-character message limit counts code points (issue 8, item 22): a message of
 * emoji outside the BMP, two UTF-16 units each, may be as long as one of letters.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/shared/limits';
import { clientId, guest, history, openRoom, say, drain } from '../helpers';

describe('message length', () => {
  it(`accepts ${LIMITS.messageChars} astral characters and refuses one more as text_too_long`, async () => {
    const a = await guest();
    const s = await openRoom('global', a.token);
    const longest = '😀'.repeat(LIMITS.messageChars);
    expect(longest.length).toBe(2 * LIMITS.messageChars);
    const ack = await say(s, longest);
    await drain('global');
    const page = await history('global', a.token, `?before=${(ack.seq as number) + 1}&limit=1`);
    expect(page.messages.map((m) => m.text)).toEqual([longest]);

    const id = clientId();
    s.send({ type: 'send', clientId: id, text: `${longest}a` });
    expect(await s.q.take((f) => f.type === 'error' && f.ref === id)).toMatchObject({
      code: 'text_too_long',
      message: `Message is longer than ${LIMITS.messageChars} characters`,
    });
  });
});
