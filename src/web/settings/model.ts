/** The user's preferences for this browser, kept in localStorage. */
import { effect, signal } from '@preact/signals';
import * as z from 'zod/mini';

export type Theme = 'system' | 'light' | 'dark';

interface Stored {
  theme: Theme;
  sound: boolean;
  desktop: boolean;
}

const KEY = 'parlor.settings';
// Sound stays off until the user turns it on (autoplay policies, and manners).
const DEFAULTS: Stored = { theme: 'system', sound: false, desktop: false };

export function createSettings() {
  const initial = load();
  const theme = signal<Theme>(initial.theme);
  const sound = signal(initial.sound);
  const desktop = signal(initial.desktop);

  effect(() => {
    const next: Stored = { theme: theme.value, sound: sound.value, desktop: desktop.value };
    try {
      localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      // Storage disabled: settings last for this page only.
    }
  });
  effect(() => {
    const root = document.documentElement;
    if (theme.value === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme.value;
  });

  return {
    theme,
    sound,
    desktop,
    /** Cycles system → light → dark. */
    cycleTheme() {
      theme.value =
        theme.value === 'system' ? 'light' : theme.value === 'light' ? 'dark' : 'system';
    },
  };
}

export type Settings = ReturnType<typeof createSettings>;

// Whatever is stored (an older version, a hand edit) falls back field by field.
const stored = z.object({
  theme: z.catch(z.enum(['system', 'light', 'dark']), 'system'),
  sound: z.catch(z.boolean(), false),
  desktop: z.catch(z.boolean(), false),
});

function load(): Stored {
  try {
    return z.catch(stored, DEFAULTS).parse(JSON.parse(localStorage.getItem(KEY) ?? 'null'));
  } catch {
    return DEFAULTS;
  }
}
