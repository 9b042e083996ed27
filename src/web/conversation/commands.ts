/**
 * Slash commands, as in Slack and IRC: `/shrug` puts ¯\_(ツ)_/¯ after its text, `/me waves`
 * says the action in italics. The message is stored as the Markdown they make, so every
 * client shows it alike. Anything else that starts with "/" is sent as typed (a path, a
 * fraction), never refused.
 */
const COMMAND = /^\/(shrug|me)(?:\s+([^]*))?$/i;
// Escaped for Markdown: the backslash and the first underscore are literal (no italics).
const SHRUG = '¯\\\\\\_(ツ)\\_/¯';

export function expandCommand(text: string): string {
  const m = COMMAND.exec(text);
  if (!m) return text;
  const rest = (m[2] ?? '').trim();
  if (m[1]!.toLowerCase() === 'shrug') return rest ? `${rest} ${SHRUG}` : SHRUG;
  return rest ? `_${rest}_` : text;
}
