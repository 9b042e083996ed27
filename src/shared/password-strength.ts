/**
 * Password strength, shared by the server (which refuses weak passwords) and the client
 * (which shows a meter while the user types). Deliberately small: it refuses the obviously
 * weak and explains why, rather than estimating entropy precisely.
 */

// The most common passwords in public breach lists, lower-cased.
const COMMON = new Set(
  (
    'password password1 password123 passw0rd 12345678 123456789 1234567890 qwerty123 qwertyuiop ' +
    'iloveyou sunshine princess football baseball welcome welcome1 abc12345 11111111 00000000 ' +
    '87654321 letmein1 trustno1 superman batman123 dragon123 monkey123 starwars master123 ' +
    'admin123 administrator changeme login123 qazwsxedc 1q2w3e4r 1q2w3e4r5t zaq12wsx ' +
    'asdfghjkl asdf1234 qwer1234 1qaz2wsx michael1 jennifer shadow123 computer internet ' +
    'whatever freedom1 mustang1 access14 chatroom parlor123'
  ).split(' '),
);

// Runs people type as passwords: digits, the alphabet, keyboard rows (and reversed).
const RUNS = [
  '01234567890',
  'abcdefghijklmnopqrstuvwxyz',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
].flatMap((run) => [run, [...run].reverse().join('')]);

export interface Strength {
  /** 0 (refused) to 4 (strong). */
  score: 0 | 1 | 2 | 3 | 4;
  /** Why it is refused, when score is 0. */
  reason: string | null;
}

export function passwordStrength(password: string, username = ''): Strength {
  const lower = password.toLowerCase();
  const name = username.normalize('NFC').toLowerCase();
  if (password.length < 8) return { score: 0, reason: 'Use at least 8 characters' };
  if (COMMON.has(lower)) return { score: 0, reason: 'This is one of the most common passwords' };
  if (name && (lower.includes(name) || name.includes(lower))) {
    return { score: 0, reason: 'The password must not contain your username' };
  }
  if (new Set(password).size < 4) return { score: 0, reason: 'Too many repeated characters' };
  if (RUNS.some((run) => run.includes(lower))) {
    return { score: 0, reason: 'A keyboard or alphabet sequence is easy to guess' };
  }
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  const points = (password.length >= 12 ? 2 : password.length >= 10 ? 1 : 0) + (classes - 1);
  const score = Math.max(1, Math.min(4, points)) as 1 | 2 | 3 | 4;
  return { score, reason: null };
}
