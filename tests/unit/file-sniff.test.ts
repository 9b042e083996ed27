/** What an upload is, from its bytes alone: the type allowlist and images' sizes. */
import { describe, expect, it } from 'vitest';
import { sniff } from '../../src/worker/files/sniff';
import { cleanFileName } from '../../src/shared/file-names';
import { nameMismatch } from '../../src/worker/files/names';
import { formatSize } from '../../src/shared/files';

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );
const le32 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >> 24) & 255];

describe('sniff', () => {
  it('reads the size from PNG, GIF, JPEG and the three WebP headers', () => {
    const png = bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR', [0, 0, 2, 0, 0, 0, 1, 0x2c]);
    expect(sniff(png, false)).toEqual({ ok: true, type: 'image/png', width: 512, height: 300 });
    const gif = bytes('GIF89a', [0x40, 0x01, 0xf0, 0x00]);
    expect(sniff(gif, false)).toEqual({ ok: true, type: 'image/gif', width: 320, height: 240 });
    // SOI, an APP0 segment of 16 bytes, then SOF2 (progressive): height 480, width 640.
    const jpeg = bytes(
      [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10],
      'JFIF\0',
      Array(9).fill(0),
      [0xff, 0xc2, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03],
    );
    expect(sniff(jpeg, false)).toEqual({ ok: true, type: 'image/jpeg', width: 640, height: 480 });
    const riff = (chunk: string, body: number[]) => bytes('RIFF', le32(100), 'WEBP', chunk, body);
    const lossy = riff('VP8 ', [...le32(50), 0, 0, 0, 0x9d, 0x01, 0x2a, 0x20, 0x03, 0x58, 0x02]);
    expect(sniff(lossy, false)).toMatchObject({ type: 'image/webp', width: 800, height: 600 });
    // VP8L packs width−1 and height−1 in 14 bits each: 99 and 49.
    const w = 99;
    const h = 49;
    const bits = w | (h << 14);
    const lossless = riff('VP8L', [...le32(10), 0x2f, ...le32(bits)]);
    expect(sniff(lossless, false)).toMatchObject({ type: 'image/webp', width: 100, height: 50 });
    const extended = riff('VP8X', [...le32(10), 0, 0, 0, 0, 0x3f, 0x01, 0x00, 0xef, 0x00, 0x00]);
    expect(sniff(extended, false)).toMatchObject({ type: 'image/webp', width: 320, height: 240 });
  });

  it('knows an image whose size it cannot read, without one', () => {
    expect(sniff(bytes([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), false)).toEqual({
      ok: true,
      type: 'image/jpeg',
      width: null,
      height: null,
    });
  });

  it('refuses markup, binaries, broken UTF-8 and empty files', () => {
    for (const refused of [
      bytes('<!DOCTYPE html>'),
      bytes('\xef\xbb\xbf<svg/>'),
      bytes(' \n\t<html>'),
      bytes('<?xml version="1.0"?>'),
      bytes('MZ', [0x90, 0, 3]),
      bytes('text', [0]),
      bytes('text\x1b[31m'),
      bytes([0xc3, 0x28]),
      bytes(),
    ]) {
      expect(sniff(refused, true).ok).toBe(false);
    }
  });

  it('accepts UTF-8 text, even cut mid-character at the end of the sniffed bytes', () => {
    expect(sniff(bytes('caf', [0xc3]), false)).toMatchObject({ ok: true, type: 'text/plain' });
    expect(sniff(bytes('caf', [0xc3]), true).ok).toBe(false);
  });
});

describe('file names', () => {
  it('must end in an extension of the detected type', () => {
    expect(nameMismatch('a.JPG', 'image/jpeg')).toBeNull();
    expect(nameMismatch('a.png', 'image/jpeg')).toMatch(/\.png/);
    expect(nameMismatch('README', 'text/plain')).toMatch(/must end in/);
  });

  it('are cut to 200 characters keeping the extension', () => {
    const name = cleanFileName(`${'x'.repeat(300)}.pdf`)!;
    expect([...name]).toHaveLength(200);
    expect(name.endsWith('x.pdf')).toBe(true);
    expect(cleanFileName(' ..\u200b ')).toBeNull();
  });
});

describe('formatSize', () => {
  it('says sizes as people read them', () => {
    expect([1, 999, 1000, 15_300, 2_400_000, 340_000].map(formatSize)).toEqual([
      '1 byte',
      '999 bytes',
      '1.0 KB',
      '15 KB',
      '2.4 MB',
      '340 KB',
    ]);
  });
});
