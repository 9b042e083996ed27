/**
 * Password strength, shared by the server (which refuses weak passwords) and the client
 * (which shows a meter while the user types): zxcvbn-ts, which recognises common passwords,
 * keyboard patterns, dates, repeats and l33t substitutions ("Password1!" is weak) and credits
 * length made of unrelated words (a four-word passphrase is strong). Only the
 * language-common dictionaries (~430 KB: the breach list, diceware words, keyboard graphs)
 * are loaded; the client imports this module lazily, when the password field is first used.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

export interface Strength {
  /** 0–1 weak (refused), 2 fair (refused), 3 good, 4 strong. */
  score: 0 | 1 | 2 | 3 | 4;
  /** Why it is refused, when it is; null for an acceptable password. */
  reason: string | null;
}

/** The lowest score the server accepts. */
export const MIN_SCORE = 3;

const zxcvbn = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });

// zxcvbn-ts's warning keys, in our words (its English translations ship with 1.2 MB of
// English dictionaries we do not load).
const WARNINGS: Record<string, string> = {
  straightRow: 'A straight row of keys is easy to guess',
  keyPattern: 'A short keyboard pattern is easy to guess',
  simpleRepeat: 'Repeated characters like "aaa" are easy to guess',
  extendedRepeat: 'Repeated patterns like "abcabc" are easy to guess',
  sequences: 'A sequence like "abc" or "123" is easy to guess',
  recentYears: 'Recent years are easy to guess',
  dates: 'Dates are easy to guess',
  topTen: 'This is one of the most common passwords',
  topHundred: 'This is one of the most common passwords',
  common: 'This is one of the most common passwords',
  similarToCommon: 'This is too close to a commonly used password',
  wordByItself: 'A single word is easy to guess',
  namesByThemselves: 'A single name is easy to guess',
  commonNames: 'Common names are easy to guess',
  userInputs: 'The password must not contain your username',
};
const TOO_GUESSABLE = 'Too easy to guess: add more words or characters';

/** Scores a password; `username` counts as something an attacker would try first. */
export function passwordStrength(password: string, username = ''): Strength {
  if ([...password].length < 8) return { score: 0, reason: 'Use at least 8 characters' };
  const name = username.normalize('NFC').toLowerCase();
  if (name.length >= 3 && password.normalize('NFC').toLowerCase().includes(name)) {
    return { score: 0, reason: WARNINGS.userInputs! };
  }
  // zxcvbn's matching is superlinear in length; past 100 characters the tail adds nothing.
  const result = zxcvbn.check(password.slice(0, 100), name ? [name] : []);
  const score = result.score;
  if (score >= MIN_SCORE) return { score, reason: null };
  const warning = result.feedback.warning;
  return { score, reason: (warning && WARNINGS[warning]) || TOO_GUESSABLE };
}
