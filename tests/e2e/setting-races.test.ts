/**
 * Room settings changed by many requests at once against a real `wrangler dev`, where
 * requests really run in parallel (in the workerd tests they do not): after each burst, D1's
 * setting (what every route decides by) is the one the room's last notice announced. The
 * room's object makes each change's D1 write and notice together, one change at a time; with
 * the write in the Worker two changes could reach D1 and the room in different orders (this
 * test did not catch that interleaving on the old code in 15 bursts: it guards the property,
 * the order comes from the mechanism).
 */
import { describe, expect, it } from 'vitest';
import { serverSuite, eventually } from './client';

const suite = serverSuite();

interface Page {
  notices: { seq: number; notice: { kind: string } }[];
}

describe('a burst of setting changes', () => {
  it('leaves D1 on the setting the last notice announced, burst after burst', async () => {
    const owner = await suite.api.guest();
    const { body } = await suite.api.call('/rooms', {
      json: { name: `race${Date.now() % 1_000_000}` },
      token: owner.token,
    });
    const roomId = (body.room as { id: string }).id;
    for (let round = 0; round < 5; round += 1) {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          suite.api.call(`/rooms/${roomId}/privacy`, {
            method: 'PUT',
            json: { private: Math.random() < 0.5 },
            token: owner.token,
          }),
        ),
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
      const lastSeq = Math.max(0, ...answers.map((a) => (a.body.seq as number | null) ?? 0));
      // History is D1's copy of the log: wait until the burst's last notice is in it.
      const last = await eventually(async () => {
        const page = (await suite.api.call(`/rooms/${roomId}/messages`, { token: owner.token }))
          .body as unknown as Page;
        const found = page.notices.filter((n) => n.notice.kind.startsWith('made_')).at(-1);
        return found && found.seq >= lastSeq ? found : undefined;
      });
      const detail = await suite.api.call(`/rooms/${roomId}`, { token: owner.token });
      const kind = (detail.body.room as { kind: string }).kind;
      expect(kind).toBe(last.notice.kind === 'made_private' ? 'private' : 'public');
    }
  });
});
