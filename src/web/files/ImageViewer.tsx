/**
 * An image at full size in a modal (the native `<dialog>`: Escape closes it and focus goes
 * back to the thumbnail), titled with the file's name, with a link to download it. In the
 * widget (`token`) the image is the thumbnail's fetched copy (./fetched.ts).
 */
import { formatSize, type FileInfo } from '../../shared/files';
import { Dialog } from '../ui/Dialog';
import { useFileSource } from './fetched';

interface ImageViewerProps {
  file: FileInfo;
  token: string | null;
  onClose: () => void;
}

export function ImageViewer({ file, token, onClose }: ImageViewerProps) {
  const { url } = useFileSource(file.id, token);
  return (
    <Dialog title={file.name} testId="image-viewer" onClose={onClose}>
      <figure class="viewer-figure">
        {url && <img src={url} alt={file.name} data-testid="image-viewer-image" />}
        <figcaption>
          {file.width && file.height ? `${file.width} × ${file.height} · ` : ''}
          {formatSize(file.size)}
          {url && (
            <>
              {' · '}
              <a href={url} download={file.name}>
                Download
              </a>
            </>
          )}
        </figcaption>
      </figure>
    </Dialog>
  );
}
