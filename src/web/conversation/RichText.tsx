/** Message text with safe links. Every piece is a text node: no HTML from users, ever. */
import { linkify } from './linkify';

export function RichText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((s, i) =>
        s.href ? (
          <a key={i} href={s.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {s.text}
          </a>
        ) : (
          s.text
        ),
      )}
    </>
  );
}
