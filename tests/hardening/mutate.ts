/**
 * Mutation primitives for the live fuzzer: hostile values of every JSON type, field edits on
 * a valid object, and edits of the serialized text. All choices come from the seeded Rng.
 */
import type { Rng } from './rng';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const STRINGS = [
  '',
  ' ',
  '\t\n',
  'a',
  'x'.repeat(4000),
  'x'.repeat(4001),
  '😀'.repeat(4000),
  '😀'.repeat(4001),
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u2066evil\u2069',
  '\u200b\u200d\ufeff',
  '<script>alert(1)</script>',
  '<svg onload=alert(1)>',
  '[x](javascript:alert(1))',
  "' OR 1=1 --",
  '"; DROP TABLE messages; --',
  '__proto__',
  'constructor',
  '%00',
  '../../etc/passwd',
  'NaN',
  '-1',
  '1e308',
  'null',
  'ａｂｃ',
  'Ω'.repeat(200),
];

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  1.5,
  2 ** 31,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 64,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER + 2,
];

/** A value of any JSON type, biased to the ones validators get wrong. */
export function hostileValue(r: Rng, depth = 0): Json {
  switch (r.int(0, 7)) {
    case 0:
      return r.pick(STRINGS);
    case 1:
      return r.pick(NUMBERS);
    case 2:
      return r.chance(0.5);
    case 3:
      return null;
    case 4:
      return depth > 2 ? [] : Array.from({ length: r.int(0, 3) }, () => hostileValue(r, depth + 1));
    case 5:
      return depth > 2 ? {} : { [r.pick(STRINGS)]: hostileValue(r, depth + 1) };
    case 6:
      return r.hex(r.int(1, 80));
    default:
      return r.int(-5, 5000);
  }
}

/** Fields clients must not be able to set: the server stamps them. */
const FORGED = ['author', 'seq', 'id', 'createdAt', 'roomId', 'userId', 'admin', '__proto__'];

/** A valid object with one or more fields changed, removed, added or forged. */
export function mutateObject(
  r: Rng,
  valid: Record<string, Json>,
  forged: Record<string, Json> = {},
): Record<string, Json> {
  const out: Record<string, Json> = { ...valid };
  const keys = Object.keys(valid);
  for (let i = r.int(1, 2); i > 0; i -= 1) {
    const key = r.pick(keys);
    switch (r.int(0, 4)) {
      case 0:
        delete out[key];
        break;
      case 1:
      case 2:
        out[key] = hostileValue(r);
        break;
      case 3:
        out[r.pick(FORGED)] = forged[r.pick(Object.keys(forged))] ?? hostileValue(r);
        break;
      default:
        out[r.pick(STRINGS)] = hostileValue(r);
    }
  }
  return out;
}

/** Edits of the serialized text: cut, spliced, doubled keys, deep nesting, not JSON at all. */
export function mutateText(r: Rng, json: string): string {
  switch (r.int(0, 7)) {
    case 0:
      return json.slice(0, r.int(0, json.length - 1));
    case 1: {
      const at = r.int(0, json.length);
      return (
        json.slice(0, at) + r.pick(['"', '{', '}', ',', ':', '\\', '\u0000', ']']) + json.slice(at)
      );
    }
    case 2:
      return json.replace('{', '{"type":"typing",');
    case 3:
      return `${'['.repeat(r.int(100, 5000))}${']'.repeat(r.int(0, 5000))}`;
    case 4:
      return r.pick(['', 'ping', 'PING', 'pong', 'null', 'true', '1', '"send"', '[]', '{}']);
    case 5:
      return json.replace(/\d+/, r.pick(['1e999999', '-0', '0x10', '01', 'Infinity']));
    case 6:
      return `${json}${json}`;
    default:
      return `\ufeff${json}`;
  }
}
