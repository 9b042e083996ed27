import { describe, expect, it } from 'vitest';
import { DARK_BACKGROUNDS, LIGHT_BACKGROUNDS, contrast, themeColors } from '../../src/web/ui/color';

const ids = Array.from({ length: 500 }, () => crypto.randomUUID());

describe('name colours', () => {
  it('computes WCAG contrast', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('reach 4.5:1 on every background of each theme, for any user', () => {
    for (const id of ids) {
      const { light, dark } = themeColors(id);
      for (const bg of LIGHT_BACKGROUNDS) expect(contrast(light, bg)).toBeGreaterThanOrEqual(4.5);
      for (const bg of DARK_BACKGROUNDS) expect(contrast(dark, bg)).toBeGreaterThanOrEqual(4.5);
      // An avatar's white initial sits on the light variant in both themes.
      expect(contrast(light, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('give people different colours far more often than a dozen-colour palette', () => {
    const distinct = new Set(ids.map((id) => themeColors(id).light));
    expect(distinct.size).toBeGreaterThan(200);
  });

  it('keep a person the same colour', () => {
    expect(themeColors('user-1')).toEqual(themeColors('user-1'));
    expect(themeColors('user-1')).not.toEqual(themeColors('user-2'));
  });
});
