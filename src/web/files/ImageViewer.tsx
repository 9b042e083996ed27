/**
 * An image at full size in a modal (the native `<dialog>`: Escape closes it and focus goes
 * back to the thumbnail), titled with the file's name, with a link to download it.
 */
import { fileUrl, formatSize, type FileInfo } from '../../shared/files';
import { Dialog } from '../ui/Dialog';

export function ImageViewer({ file, onClose }: { file: FileInfo; onClose: () => void }) {
  return (
    <Dialog title={file.name} testId="image-viewer" onClose={onClose}>
      <figure class="viewer-figure">
        <img src={fileUrl(file.id)} alt={file.name} data-testid="image-viewer-image" />
        <figcaption>
          {file.width && file.height ? `${file.width} × ${file.height} · ` : ''}
          {formatSize(file.size)} ·{' '}
          <a href={fileUrl(file.id)} download={file.name}>
            Download
          </a>
        </figcaption>
      </figure>
    </Dialog>
  );
}
