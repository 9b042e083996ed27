/** The files attached to the message being written: progress, cancel, and why one failed. */
import { cleanFileName } from '../../shared/file-names';
import { fileUrl, formatSize, isInlineImage } from '../../shared/files';
import type { Uploads } from './uploads';
import './files.css';

export interface UploadTrayProps {
  uploads: Uploads;
}

export function UploadTray({ uploads }: UploadTrayProps) {
  const items = uploads.items.value;
  if (items.length === 0) return null;
  return (
    <ul class="upload-tray" aria-label="Files to send" data-testid="upload-tray">
      {items.map(({ name: raw, ...f }) => {
        // As the server will store it: a bidi override cannot pass `x‮fdp.png` for a PDF.
        const name = cleanFileName(raw) ?? 'file';
        return (
          <li
            key={f.key}
            class={`upload ${f.status}`}
            data-testid="upload"
            data-status={f.status}
            data-name={name}
          >
            {f.file && isInlineImage(f.file.type) ? (
              <img class="upload-preview" src={fileUrl(f.file.id)} alt="" width={40} height={40} />
            ) : (
              <span class="upload-preview file-type" aria-hidden="true">
                {name.split('.').pop()?.slice(0, 4).toUpperCase()}
              </span>
            )}
            <span class="upload-meta">
              <bdi class="file-name">{name}</bdi>
              {f.status === 'uploading' ? (
                <progress
                  value={f.progress}
                  max={1}
                  aria-label={`Uploading ${name}`}
                  data-testid="upload-progress"
                />
              ) : f.status === 'failed' ? (
                <span class="upload-error" role="alert">
                  Not uploaded: {f.error}
                </span>
              ) : (
                <span class="file-size">{formatSize(f.size)} · ready</span>
              )}
            </span>
            <button
              type="button"
              class="icon-button"
              data-testid="upload-remove"
              aria-label={`${f.status === 'uploading' ? 'Cancel upload of' : 'Remove'} ${name}`}
              onClick={() => uploads.remove(f.key)}
            >
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
}
