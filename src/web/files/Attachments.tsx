/**
 * A message's files: images as thumbnails (the original, scaled by the browser) that open
 * the viewer, everything else as a card with its name, type and size to download.
 */
import { useSignal } from '@preact/signals';
import { fileUrl, formatSize, type FileInfo } from '../../shared/files';
import { CARD_HEIGHT, thumbBox } from './box';
import { ImageViewer } from './ImageViewer';
import './files.css';

export interface AttachmentsProps {
  files: FileInfo[];
  /** False where files cannot be fetched (the widget): each is named, not shown. */
  served: boolean;
}

export function Attachments({ files, served }: AttachmentsProps) {
  const viewing = useSignal<FileInfo | null>(null);
  return (
    <>
      <ul class="attachments" data-testid="attachments">
        {files.map((file) => {
          const box = served ? thumbBox(file) : null;
          return (
            <li key={file.id}>
              {box ? (
                <button
                  type="button"
                  class="thumbnail"
                  data-testid="attachment-image"
                  data-file-id={file.id}
                  aria-label={`View image ${file.name}`}
                  style={{ width: `${box.width}px`, height: `${box.height}px` }}
                  onClick={() => (viewing.value = file)}
                >
                  <img
                    src={fileUrl(file.id)}
                    alt={file.name}
                    width={box.width}
                    height={box.height}
                    loading="lazy"
                    decoding="async"
                  />
                </button>
              ) : (
                <FileCard file={file} served={served} />
              )}
            </li>
          );
        })}
      </ul>
      {viewing.value && <ImageViewer file={viewing.value} onClose={() => (viewing.value = null)} />}
    </>
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
