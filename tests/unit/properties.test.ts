/**
 * Property tests (fast-check) of what crosses the trust boundary: every room frame the
 * protocol documents is accepted, everything else is refused with the documented code and
 * never throws; and the name rules (NFC, invisibles, look-alikes) hold for any text, not
 * only for the examples in names.test.ts. Each run prints its seed on failure, and
 * `PARLOR_SEED=<n>` replays it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRoomFrame } from '../../src/durable/frames';
import { createRoomBody, historyQuery, username, usernameKey } from '../../src/shared/api';
import { ERROR_CODES } from '../../src/shared/errors';
import { LIMITS } from '../../src/shared/limits';
import { forbiddenCodePoint, nameSkeleton } from '../../src/shared/names';
import { markRun } from '../../src/shared/name-chars';

const seed = process.env.PARLOR_SEED ? Number(process.env.PARLOR_SEED) : undefined;
const runs = (numRuns: number) => ({ numRuns, ...(seed !== undefined && { seed }) });

// --- Generators of what docs/protocol.md allows ---------------------------------------------

const clientId = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/);
const seq = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
/**
 * Message text: 1–4000 code points after trimming, any characters (Markdown is text), but not
 * more than LIMITS.marksInARow combining marks in a row.
 */
const MARK_RUN = markRun(LIMITS.marksInARow);
const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 200 })
  .filter((s) => s.trim().length > 0 && !MARK_RUN.test(s));
const emoji = fc.constantFrom('👍', '❤️', '🎉', '👍🏽', '🧑‍💻', '🏳️‍🌈', '🇫🇷', '😂', '1️⃣');

const validFrame = fc.oneof(
  fc.record({ type: fc.constant('send'), clientId, text }),
  fc.record({ type: fc.constant('send'), clientId, text, replyTo: seq }),
  fc.record({ type: fc.constant('edit'), target: seq, text }),
  fc.record({ type: fc.constant('delete'), target: seq }),
  fc.record({ type: fc.constant('react'), target: seq, emoji, on: fc.boolean() }),
  fc.record({ type: fc.constant('typing') }),
  fc.record({
    type: fc.constant('received'),
    chars: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  }),
);

/** One field of a valid frame made wrong: a value the schema must refuse. */
const wrongValue = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.constant(-1),
  fc.constant(0),
  fc.constant(1.5),
  fc.constant(Number.MAX_SAFE_INTEGER + 2),
  fc.constant([]),
  fc.constant({}),
  fc.constant(true),
  fc.constant('x'.repeat(65)),
  fc.constant('has space'),
  fc.constant('   '),
  fc.constant('a\u200Bb'),
);

function isDocumentedError(frame: unknown): boolean {
  const f = frame as { type?: unknown; code?: unknown; message?: unknown };
  return (
    f.type === 'error' &&
    (ERROR_CODES as readonly unknown[]).includes(f.code) &&
    typeof f.message === 'string' &&
    f.message.length > 0
  );
}

describe('room frames (properties)', () => {
  it('accepts every frame the protocol documents, unchanged', () => {
    fc.assert(
      fc.property(validFrame, (frame) => {
        const read = readRoomFrame(JSON.stringify(frame));
        expect(read.ok).toBe(true);
        if (!read.ok) return;
        // Texts are trimmed; everything else arrives as sent.
        const expected =
          'text' in frame ? { ...frame, text: (frame.text as string).trim() } : frame;
        expect(read.frame).toEqual(expected);
      }),
      runs(500),
    );
  });

  it('refuses a documented frame with one field made wrong, with a documented code', () => {
    fc.assert(
      fc.property(
        validFrame.filter((f) => Object.keys(f).length > 1),
        fc.nat(),
        wrongValue,
        (frame, pick, value) => {
          const fields = Object.keys(frame).filter((k) => k !== 'type');
          const field = fields[pick % fields.length]!;
          const broken = { ...frame, [field]: value };
          // Some "wrong" values are right for some fields (0 chars received, "x"×65 text).
          const stillValid =
            (field === 'chars' && value === 0) ||
            ((field === 'text' || field === 'emoji') &&
              typeof value === 'string' &&
              value.trim() !== '' &&
              field === 'text') ||
            (field === 'on' && typeof value === 'boolean');
          fc.pre(!stillValid);
          const read = readRoomFrame(JSON.stringify(broken));
          expect(read.ok).toBe(false);
          if (read.ok) return;
          expect(isDocumentedError(read.error)).toBe(true);
          expect(['validation_failed', 'text_too_long']).toContain(
            (read.error as { code: string }).code,
          );
        },
      ),
      runs(500),
    );
  });

  it('answers any text or bytes with a frame or a documented error, never a throw', () => {
    const anything = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.json({ maxDepth: 4 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ type: 'send', junk: v })),
      fc
        .record({ type: fc.constantFrom('send', 'edit', 'react', 'delete', 'received') })
        .chain((base) =>
          fc
            .dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }))
            .map((extra) => JSON.stringify({ ...extra, ...base })),
        ),
      fc.uint8Array({ maxLength: 64 }).map((b) => b.buffer as ArrayBuffer),
    );
    fc.assert(
      fc.property(anything, (data) => {
        const read = readRoomFrame(data);
        if (!read.ok) expect(isDocumentedError(read.error)).toBe(true);
      }),
      runs(1000),
    );
  });

  it('refuses text over the limit with text_too_long, counting code points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), emoji, (over, e) => {
        // Astral emoji are two UTF-16 units but one character each.
        const long = e.repeat(Math.ceil((LIMITS.messageChars + over) / [...e].length));
        const atLimit = '😀'.repeat(LIMITS.messageChars);
        expect(readRoomFrame(JSON.stringify({ type: 'edit', target: 1, text: atLimit })).ok).toBe(
          true,
        );
        const read = readRoomFrame(JSON.stringify({ type: 'edit', target: 1, text: long }));
        expect(read.ok ? null : (read.error as { code: string }).code).toBe('text_too_long');
      }),
      runs(20),
    );
  });
});

describe('HTTP inputs (properties)', () => {
  it('history queries: at most one cursor, limits within 1–100, and nothing else passes', () => {
    const n = fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constant(1.5));
    fc.assert(
      fc.property(
        fc.record({ before: n, after: n, around: n, limit: n }, { requiredKeys: [] }),
        (q) => {
          const strings = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)]));
          const ok = historyQuery.safeParse(strings).success;
          const cursors = ['before', 'after', 'around'].filter((k) => k in q);
          const int = (v: number) => Number.isInteger(v);
          const expected =
            cursors.length <= 1 &&
            (q.before === undefined || (int(q.before) && q.before >= 1)) &&
            (q.around === undefined || (int(q.around) && q.around >= 1)) &&
            (q.after === undefined || (int(q.after) && q.after >= 0)) &&
            (q.limit === undefined || (int(q.limit) && q.limit >= 1 && q.limit <= 100));
          expect(ok).toBe(expected);
        },
      ),
      runs(500),
    );
  });

  it('room names: 2–40 characters (code points) after NFC and trimming, never an invisible one', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 50 }), (name) => {
        const result = createRoomBody.safeParse({ name });
        const clean = name.normalize('NFC').trim();
        const length = [...clean].length;
        const expected = length >= 2 && length <= 40 && forbiddenCodePoint(clean) === null;
        expect(result.success).toBe(expected);
        if (result.success) expect(result.data.name).toBe(clean);
      }),
      runs(1000),
    );
  });
});

// --- Names ---------------------------------------------------------------------------------

const letter = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-éüßçøåЖжΩωअ中日한',
);
const goodName = fc
  .array(fc.array(letter, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 })
  .map((words) => words.map((w) => w.join('')).join(' '))
  .filter((s) => [...s].length >= 2 && [...s].length <= 32);
/** Code points that are invisible or change nothing visible (name-chars.ts's list). */
const invisible = fc.constantFrom(
  '\u00AD',
  '\u034F',
  '\u061C',
  '\u115F',
  '\u180E',
  '\u200B',
  '\u200C',
  '\u200D',
  '\u200E',
  '\u202E',
  '\u2060',
  '\u2066',
  '\u3164',
  '\uFE0F',
  '\uFEFF',
  '\u{E0041}',
  '\u00A0',
  '\u2028',
  '\u0007',
);

describe('name rules (properties)', () => {
  it('accepts every name of letters, digits, _ . - and single spaces, as NFC', () => {
    fc.assert(
      fc.property(goodName, (name) => {
        const parsed = username.safeParse(name.normalize('NFD'));
        expect(parsed.success).toBe(true);
        if (parsed.success) expect(parsed.data).toBe(name.normalize('NFC'));
      }),
      runs(500),
    );
  });

  it('refuses a name with any invisible, filler, control or odd space inserted anywhere', () => {
    fc.assert(
      fc.property(goodName, invisible, fc.nat(), (name, char, at) => {
        const chars = [...name];
        const i = at % (chars.length + 1);
        const tampered = [...chars.slice(0, i), char, ...chars.slice(i)].join('');
        const parsed = username.safeParse(tampered);
        // At either end, what JavaScript's trim() counts as space (U+FEFF, U+00A0, U+2028)
        // is trimmed away: the name is then accepted, but without it.
        if (parsed.success) {
          expect(i === 0 || i === chars.length).toBe(true);
          expect(parsed.data).toBe(name.normalize('NFC'));
        }
      }),
      runs(500),
    );
  });

  it('gives a name and every look-alike built from it one skeleton and one key', () => {
    // Look-alikes: Cyrillic/Greek homoglyphs, fullwidth forms, mathematical bold.
    const homoglyph: Record<string, string[]> = {
      a: ['а', 'ａ', '𝐚'],
      e: ['е', 'ｅ', '𝐞'],
      o: ['о', 'ο', 'ｏ', '𝐨'],
      p: ['р', 'ρ', 'ｐ'],
      c: ['с', 'ｃ'],
      x: ['х', 'ｘ'],
      i: ['і', 'ｉ'],
    };
    const base = fc
      .array(fc.constantFrom(...'aeopcxi'), { minLength: 2, maxLength: 10 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(base, fc.array(fc.nat()), (name, picks) => {
        const disguised = [...name]
          .map((ch, i) => {
            const options = homoglyph[ch]!;
            const pick = picks[i];
            return pick === undefined ? ch : (options[pick % options.length] ?? ch);
          })
          .join('');
        expect(nameSkeleton(disguised)).toBe(nameSkeleton(name));
        // Not the skeleton of the upper case: capital I looks like l, not like i. Case is
        // the username key's business.
        expect(usernameKey(name.toUpperCase())).toBe(usernameKey(name));
      }),
      runs(500),
    );
  });

  it('skeletons are stable: taking one twice changes nothing, and invisibles do not count', () => {
    fc.assert(
      fc.property(goodName, invisible, (name, char) => {
        const s = nameSkeleton(name);
        expect(nameSkeleton(s)).toBe(s);
        if (char !== '\u00A0' && char !== '\u2028' && char !== '\u0007') {
          expect(nameSkeleton(name + char)).toBe(s);
        }
      }),
      runs(300),
    );
  });
});
