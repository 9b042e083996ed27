import { describe, expect, it } from 'vitest';
import { codePointLabel, forbiddenCodePoint, nameSkeleton } from '../../src/shared/names';
import { nameWithHandle } from '../../src/shared/profile';

describe('nameSkeleton', () => {
  it('gives Cyrillic, fullwidth and mathematical-bold look-alikes the Latin name’s skeleton', () => {
    const latin = nameSkeleton('Dee');
    expect(nameSkeleton('D\u0435\u0435')).toBe(latin); // Cyrillic small ie
    expect(nameSkeleton('\uFF24\uFF45\uFF45')).toBe(latin); // fullwidth
    expect(nameSkeleton('\u{1D403}\u{1D41E}\u{1D41E}')).toBe(latin); // mathematical bold
    expect(nameSkeleton('DEE')).toBe(latin);
  });

  it('folds letters that share a prototype, before and after case folding', () => {
    expect(nameSkeleton('Ill')).toBe(nameSkeleton('lll')); // capital I and small l
    expect(nameSkeleton('b0b')).toBe(nameSkeleton('bob'));
    expect(nameSkeleton('\u03A1aul')).toBe(nameSkeleton('Paul')); // Greek capital rho
  });

  it('reads Cyrillic palochka as the l it looks like, not the i confusables.txt gives it', () => {
    // а ӏ і с е: Cyrillic a, small palochka, Byelorussian-Ukrainian i, es, ie.
    expect(nameSkeleton('\u0430\u04CF\u0456\u0441\u0435')).toBe(nameSkeleton('alice'));
    expect(nameSkeleton('m\u0430\u04CF\u04CF\u043Er\u0443')).toBe(nameSkeleton('mallory'));
    expect(nameSkeleton('\u04C0ll')).toBe(nameSkeleton('lll')); // the capital was right already
  });

  it('drops default-ignorable code points, so an added one changes nothing', () => {
    for (const c of ['\u034F', '\uFE0F', '\u{E0100}', '\u115F', '\u3164', '\u17B4', '\u180B']) {
      expect(nameSkeleton(`De${c}e`)).toBe(nameSkeleton('Dee'));
    }
  });

  it('keeps names that only share letters apart', () => {
    expect(nameSkeleton('Dee')).not.toBe(nameSkeleton('Dea'));
    expect(nameSkeleton('Visitor Val')).not.toBe(nameSkeleton('VisitorVal'));
  });
});

describe('forbiddenCodePoint', () => {
  it('finds every invisible, filler, bidi, tag and control code point the issue lists', () => {
    const listed = [
      '\u034F',
      '\uFE0F',
      '\u{E0100}',
      '\u{E01EF}',
      '\u115F',
      '\u1160',
      '\u3164',
      '\uFFA0',
      '\u17B4',
      '\u17B5',
      '\u180B',
      '\u180F',
      '\u200B',
      '\u200D',
      '\u202E',
      '\u2066',
      '\u{E0041}',
      '\u0007',
      '\u00A0',
      '\u2028',
    ];
    for (const c of listed) expect(forbiddenCodePoint(`De${c}e`)).toBe(c);
  });

  it('lets letters, marks, digits and plain spaces through', () => {
    expect(forbiddenCodePoint('Visitor Val')).toBeNull();
    expect(forbiddenCodePoint('Ame\u0301lie 語 42')).toBeNull();
  });

  it('labels a code point the way the error messages name it', () => {
    expect(codePointLabel('\u034F')).toBe('U+034F');
    expect(codePointLabel('\u{E0100}')).toBe('U+E0100');
  });
});

describe('nameWithHandle', () => {
  it('isolates each name, so a right-to-left display name keeps the handle readable', () => {
    expect(nameWithHandle({ name: 'evei', displayName: 'שרה כהן 2' })).toBe(
      '\u2068שרה כהן 2\u2069 (@\u2068evei\u2069)',
    );
    expect(nameWithHandle({ name: 'evei' })).toBe('evei');
  });

  it('folds a run of spaces for the look-alike check', () => {
    expect(nameSkeleton('Bobby  B')).toBe(nameSkeleton('Bobby B'));
  });
});
