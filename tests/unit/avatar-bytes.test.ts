import { describe, expect, it } from 'vitest';
import { avatarTypeOf } from '../../src/worker/profiles/avatar-bytes';

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );

describe('avatar types from magic numbers', () => {
  it('knows PNG, JPEG and WebP by their first bytes', () => {
    expect(avatarTypeOf(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe('image/png');
    expect(avatarTypeOf(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(avatarTypeOf(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('image/webp');
  });

  const refused: [string, Uint8Array][] = [
    ['HTML', bytes('<!doctype html><script>alert(1)</script>')],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
    ['GIF', bytes('GIF89a', [1, 0, 1, 0])],
    ['a RIFF file that is not WebP (WAVE)', bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt ')],
    ['a truncated PNG signature', bytes([0x89], 'PNG')],
    ['HTML after a BOM', bytes([0xef, 0xbb, 0xbf], '<html>')],
    ['nothing', new Uint8Array()],
  ];
  for (const [what, data] of refused) {
    it(`refuses ${what}`, () => expect(avatarTypeOf(data)).toBeNull());
  }
});
