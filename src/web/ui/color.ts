/**
 * A person's colour, readable on either theme. The server's palette has a dozen colours, so
 * two people in one room often shared one, and several were under 4.5:1 on the dark
 * background. Instead the hue comes from the user id (hundreds of distinct hues), and each
 * theme gets its own lightness, the lightest (light theme) or darkest (dark theme) that
 * still reaches 4.5:1 on every background a name is drawn on.
 */

/** --bg, --bg-soft and --bg-hover of each theme (src/web/styles/colors.css). */
export const LIGHT_BACKGROUNDS = ['#ffffff', '#f4f5f7', '#e9ebef'] as const;
export const DARK_BACKGROUNDS = ['#15171c', '#1b1e24', '#262a32'] as const;
/** WCAG AA for normal text, with a little room for rounding. */
const TARGET = 4.6;
const SATURATION = 0.7;

export interface ThemeColors {
  light: string;
  dark: string;
}

const cache = new Map<string, ThemeColors>();

/** The two variants of a person's colour: for text on the light theme and on the dark one. */
export function themeColors(userId: string): ThemeColors {
  let colors = cache.get(userId);
  if (!colors) {
    const hue = hueOf(userId);
    colors = {
      light: readable(hue, LIGHT_BACKGROUNDS, 0.5, -0.01),
      dark: readable(hue, DARK_BACKGROUNDS, 0.5, 0.01),
    };
    cache.set(userId, colors);
  }
  return colors;
}

/** A CSS colour for a person's name or dot that follows the page's theme. */
export function userColor(user: { id: string }): string {
  const { light, dark } = themeColors(user.id);
  return `light-dark(${light}, ${dark})`;
}

/** Behind a white initial (avatars): the light theme's variant is dark enough on both. */
export function avatarColor(user: { id: string }): string {
  return themeColors(user.id).light;
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

// FNV-1a: cheap, and spreads similar ids (UUIDs) over the whole circle.
function hueOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 360;
}

/** Steps lightness from `start` by `step` until the colour is readable on every background. */
function readable(hue: number, backgrounds: readonly string[], start: number, step: number) {
  let color = hslToHex(hue, SATURATION, start);
  for (let l = start; l >= 0 && l <= 1; l += step) {
    color = hslToHex(hue, SATURATION, l);
    if (backgrounds.every((bg) => contrast(color, bg) >= TARGET)) break;
  }
  return color;
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
