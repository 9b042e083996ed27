/**
 * A message's files: images as thumbnails (the original, scaled by the browser) that open
 * the viewer, everything else as a card with its name, type and size to download.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { fileUrl, formatSize, type FileInfo } from '../../shared/files';
import { CARD_HEIGHT, thumbBox } from './box';
import { useFileSource } from './fetched';
import { ImageViewer } from './ImageViewer';
import './files.css';

export interface AttachmentsProps {
  files: FileInfo[];
  /**
   * The widget's session token, null in the app. With one, images are fetched with it
   * (./fetched.ts) into the narrower panel's box, and other files are named, not linked.
   */
  token: string | null;
}

export function Attachments({ files, token }: AttachmentsProps) {
  const viewing = useSignal<FileInfo | null>(null);
  return (
    <>
      <ul class="attachments" data-testid="attachments">
        {files.map((file) => {
          const box = thumbBox(file, token !== null);
          return (
            <li key={file.id}>
              {box ? (
                <Thumbnail
                  file={file}
                  box={box}
                  token={token}
                  onOpen={() => (viewing.value = file)}
                />
              ) : (
                <FileCard file={file} served={token === null} />
              )}
            </li>
          );
        })}
      </ul>
      {viewing.value && (
        <ImageViewer file={viewing.value} token={token} onClose={() => (viewing.value = null)} />
      )}
    </>
  );
}

interface ThumbnailProps {
  file: FileInfo;
  box: { width: number; height: number };
  token: string | null;
  onOpen: () => void;
}

function Thumbnail({ file, box, token, onOpen }: ThumbnailProps) {
  const ref = useRef<HTMLButtonElement>(null);
  // The app's `<img loading="lazy">` waits for the screen by itself; a fetch does not.
  const near = useSignal(token === null);
  useEffect(() => {
    if (near.peek() || !ref.current) return;
    const seen = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        near.value = true;
        seen.disconnect();
      },
      { rootMargin: '400px' },
    );
    seen.observe(ref.current);
    return () => seen.disconnect();
  }, []);
  const source = useFileSource(file.id, token, near.value);
  // Not fetched (the session ended, the file deleted meanwhile): named, as a card.
  if (source.failed) return <FileCard file={file} served={false} />;
  return (
    <button
      ref={ref}
      type="button"
      class="thumbnail"
      data-testid="attachment-image"
      data-file-id={file.id}
      aria-label={`View image ${file.name}`}
      style={{ width: `${box.width}px`, height: `${box.height}px` }}
      onClick={onOpen}
    >
      {source.url && (
        <img
          src={source.url}
          alt={file.name}
          width={box.width}
          height={box.height}
          loading="lazy"
          decoding="async"
        />
      )}
    </button>
  );
}

/** The short name of a type, for the card: "PDF", "ZIP", "Text". */
function typeLabel(type: string): string {
  if (type === 'text/plain') return 'Text';
  return (type.split('/')[1] ?? type).toUpperCase();
}

function FileCard({ file, served }: { file: FileInfo; served: boolean }) {
  const label = `${file.name}, ${typeLabel(file.type)}, ${formatSize(file.size)}`;
  const Tag = served ? 'a' : 'span';
  return (
    <Tag
      class="file-card"
      data-testid="attachment-file"
      data-file-id={file.id}
      {...(served && { href: fileUrl(file.id), download: file.name })}
      style={{ height: `${CARD_HEIGHT}px` }}
      aria-label={served ? `Download ${label}` : undefined}
    >
      <span class="file-type" aria-hidden="true">
        {typeLabel(file.type)}
      </span>
      <span class="file-meta">
        <bdi class="file-name">{file.name}</bdi>
        <span class="file-size">
          {typeLabel(file.type)} · {formatSize(file.size)}
        </span>
      </span>
    </Tag>
  );
}
