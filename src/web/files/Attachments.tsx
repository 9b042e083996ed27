/**
 * A message's files: images as thumbnails (the original, scaled by the browser) that open
 * the viewer, everything else as a card with its name, type and size to download.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { fileUrl, formatSize, type FileInfo } from '../../shared/files';
import { CARD_HEIGHT, thumbBox } from './box';
import { saveFile, useFileSource } from './fetched';
import { ImageViewer } from './ImageViewer';
import './files.css';

export interface AttachmentsProps {
  files: FileInfo[];
  /**
   * The widget's session token, null in the app. With one, images are fetched with it
   * (./fetched.ts) into the narrower panel's box, and other files when their card is clicked.
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
                <FileCard file={file} download={token === null ? 'link' : { token }} />
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
  if (source.failed) return <FileCard file={file} download={null} />;
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

interface FileCardProps {
  file: FileInfo;
  /**
   * How the card downloads: `link`, the app's (its cookie goes along); with the widget's
   * token, fetched when clicked (a link cannot send it); null, not at all (an image whose
   * fetch failed).
   */
  download: 'link' | { token: string } | null;
}

function FileCard({ file, download }: FileCardProps) {
  const failed = useSignal(false);
  const label = `${file.name}, ${typeLabel(file.type)}, ${formatSize(file.size)}`;
  const content = (
    <>
      <span class="file-type" aria-hidden="true">
        {typeLabel(file.type)}
      </span>
      <span class="file-meta">
        <bdi class="file-name">{file.name}</bdi>
        <span class="file-size">
          {typeLabel(file.type)} · {formatSize(file.size)}
        </span>
      </span>
    </>
  );
  const common = {
    class: 'file-card',
    'data-testid': 'attachment-file',
    'data-file-id': file.id,
    style: { height: `${CARD_HEIGHT}px` },
  };
  if (download === 'link') {
    return (
      <a {...common} href={fileUrl(file.id)} download={file.name} aria-label={`Download ${label}`}>
        {content}
      </a>
    );
  }
  if (!download) return <span {...common}>{content}</span>;
  const save = () => {
    failed.value = false;
    saveFile(file.id, file.name, download.token).catch(() => (failed.value = true));
  };
  return (
    <>
      <button type="button" {...common} aria-label={`Download ${label}`} onClick={save}>
        {content}
      </button>
      {failed.value && (
        <p class="file-failed" role="alert" dir="auto">
          Could not download {file.name}. Try again.
        </p>
      )}
    </>
  );
}
