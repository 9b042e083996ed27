/**
 * Dropping files onto the open chat attaches them to the message being written. Only drags
 * that carry files count (text dragged within the page keeps its usual behaviour).
 */
import { useSignal } from '@preact/signals';
import type { Uploads } from './uploads';

const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;

/** Handlers for the conversation's element, and whether files are being dragged over it. */
export function useFileDrop(uploads: Uploads, enabled: boolean) {
  const over = useSignal(false);
  if (!enabled) return { over, handlers: {} };
  return {
    over,
    handlers: {
      onDragOver(e: DragEvent) {
        if (!carriesFiles(e)) return;
        e.preventDefault(); // allows the drop
        e.dataTransfer!.dropEffect = 'copy';
        over.value = true;
      },
      onDragLeave(e: DragEvent) {
        const into = e.relatedTarget as Node | null;
        if (!into || !(e.currentTarget as Node).contains(into)) over.value = false;
      },
      onDrop(e: DragEvent) {
        if (!carriesFiles(e)) return;
        e.preventDefault(); // the browser would open the file instead
        over.value = false;
        uploads.add(e.dataTransfer!.files);
        document.getElementById('composer-input')?.focus();
      },
    },
  };
}
