/** A user's colour from the server, used only if it is a plain hex or hsl() colour. */
const SAFE_COLOR = /^(#[0-9a-f]{3,8}|hsl\(\s*[\d.]+(deg)?[\s,]+[\d.]+%[\s,]+[\d.]+%\s*\))$/i;

export function userColor(color: string): string | undefined {
  return SAFE_COLOR.test(color) ? color : undefined;
}
