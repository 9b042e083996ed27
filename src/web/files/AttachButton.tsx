/** The composer's way to pick files, and what a paste brings (a screenshot, copied files). */
import { useRef } from 'preact/hooks';

export function AttachButton({ onFiles }: { onFiles: (files: FileList) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          const el = e.currentTarget;
          if (el.files?.length) onFiles(el.files);
          el.value = ''; // the same file may be picked again
        }}
      />
      <button
        type="button"
        class="icon-button attach"
        data-testid="attach-button"
        aria-label="Attach files"
        title="Attach files (or drop or paste them here)"
        onClick={() => input.current?.click()}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path
            d="M16.5 6.5 8.6 14.4a2 2 0 0 0 2.8 2.8l8-8a4 4 0 0 0-5.6-5.6l-8 8a6 6 0 0 0 8.4 8.4l7.3-7.3"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
          />
        </svg>
      </button>
    </>
  );
}

/**
 * Files in a paste. When the clipboard holds no text (a screenshot), the paste is only
 * the files, so nothing else is pasted into the box.
 */
export function pastedFiles(e: ClipboardEvent): File[] {
  const data = e.clipboardData;
  const files = data ? [...data.files] : [];
  if (files.length && !data!.types.includes('text/plain')) e.preventDefault();
  return files;
}
