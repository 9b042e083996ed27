/** Mutated frames for room and lobby sockets, and the barrier each socket kind refuses. */
import { LIMITS } from '../../src/shared/limits';
import { hostileValue, mutateObject, mutateText } from './mutate';
import type { Rng } from './rng';

export interface FuzzFrame {
  kind: string;
  data: string | Buffer;
  asText: boolean;
  /** Close codes this frame may cause: 1009 for too large, 1007 for bytes that are not UTF-8. */
  mayClose?: number[];
}

/** Valid frames of every type a room socket takes; `target`s are seqs that may exist. */
function validRoomFrame(r: Rng, latestSeq: number): Record<string, never> {
  const target = r.int(1, Math.max(1, latestSeq + 2));
  const text = `fuzz ${r.hex(10)}`;
  const frames = [
    { type: 'send', clientId: `fz-${r.hex(16)}`, text },
    { type: 'edit', target, text },
    { type: 'delete', target },
    { type: 'typing' },
    { type: 'received', chars: r.int(0, 100_000) },
  ];
  return r.pick(frames) as never;
}

/**
 * One mutated frame. `forged` holds values a hostile client would put in server-owned fields
 * (another user's ref as `author`, say); the test checks none of them takes effect.
 */
export function fuzzFrame(
  r: Rng,
  socket: 'room' | 'lobby',
  latestSeq: number,
  forged: Record<string, never>,
): FuzzFrame {
  const valid =
    socket === 'room' || r.chance(0.3)
      ? validRoomFrame(r, latestSeq)
      : ({ type: 'received', chars: r.int(0, 100_000) } as never);
  const roll = r.next();
  const text = (kind: string, data: string): FuzzFrame => ({ kind, data, asText: true });
  if (roll < 0.35) return text('fields', JSON.stringify(mutateObject(r, valid, forged)));
  if (roll < 0.5) return text('text', mutateText(r, JSON.stringify(valid)));
  if (roll < 0.6) return text('valid', JSON.stringify({ ...valid, ...(r.chance(0.5) && forged) }));
  if (roll < 0.7) {
    const type = r.pick(['SEND', 'send ', '', 'batch', 'hello', 'ack', 'error', 'join', 'ping']);
    return text('type', JSON.stringify({ ...valid, type }));
  }
  if (roll < 0.8) return text('value', JSON.stringify(hostileValue(r)));
  if (roll < 0.88) {
    const body = { type: 'send', clientId: `fz-${r.hex(16)}`, text: String(hostileValue(r)) };
    return text('message text', JSON.stringify(body));
  }
  if (roll < 0.96) {
    const bytes = Buffer.from(Array.from({ length: r.int(0, 64) }, () => r.int(0, 255)));
    return { kind: 'binary', data: bytes, asText: false };
  }
  if (roll < 0.98) {
    const body = { type: 'send', clientId: `fz-${r.hex(16)}`, text: 'x'.repeat(LIMITS.frameBytes) };
    return { kind: 'too large', data: JSON.stringify(body), asText: true, mayClose: [1009] };
  }
  // A text frame whose bytes are not UTF-8: the runtime's answer, not the app's.
  const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]);
  return { kind: 'not UTF-8', data: bytes, asText: true, mayClose: [1007] };
}

/** A frame the socket must refuse with `ref`: the barrier after each window. */
export function barrierFrame(socket: 'room' | 'lobby', ref: string): string {
  return socket === 'room'
    ? JSON.stringify({ type: 'send', clientId: ref, text: '   ' })
    : JSON.stringify({ type: 'received', clientId: ref, chars: -1 });
}
