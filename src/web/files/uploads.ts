/**
 * Files on their way into a chat, before the message that carries them is sent: each
 * uploads at once (transfer.ts), can be cancelled, and once stored has an id the next
 * `send` attaches.
 */
import { computed, signal } from '@preact/signals';
import type { FileInfo } from '../../shared/files';

export interface PendingFile {
  key: string;
  name: string;
  size: number;
  /** 0–1 while uploading. */
  progress: number;
  status: 'uploading' | 'done' | 'failed';
  error: string | null;
  /** Set once stored (an image's preview in the tray is then the stored copy: the page's
   * CSP allows no `blob:` images). */
  file: FileInfo | null;
}

let counter = 0;

export function createUploads(roomId: string, token?: () => string | null | undefined) {
  const items = signal<readonly PendingFile[]>([]);
  const requests = new Map<string, XMLHttpRequest>();

  function set(key: string, change: Partial<PendingFile>) {
    items.value = items.value.map((f) => (f.key === key ? { ...f, ...change } : f));
  }

  function forget(key: string) {
    requests.get(key)?.abort();
    requests.delete(key);
    items.value = items.value.filter((f) => f.key !== key);
  }

  function start(file: File) {
    counter += 1;
    const key = `upload-${counter}`;
    items.value = [
      ...items.value,
      {
        key,
        name: file.name || 'file',
        size: file.size,
        progress: 0,
        status: 'uploading',
        error: null,
        file: null,
      },
    ];
    const url = `/api/rooms/${encodeURIComponent(roomId)}/files?name=${encodeURIComponent(file.name || 'file')}`;
    // The sending code comes with the tray's (one chunk, loaded on the first file).
    void import('./ui').then(
      ({ transfer }) => {
        // Removed while its code was loading: nothing to send.
        if (!items.peek().some((f) => f.key === key)) return;
        const xhr = transfer(url, file, token?.(), {
          progress: (progress) => set(key, { progress }),
          done: (stored) => {
            requests.delete(key);
            set(key, { status: 'done', progress: 1, file: stored });
          },
          failed: (error) => {
            requests.delete(key);
            set(key, { status: 'failed', error });
          },
        });
        requests.set(key, xhr);
      },
      () => set(key, { status: 'failed', error: 'Cannot reach Parlor. Check your connection.' }),
    );
  }

  return {
    items,
    busy: computed(() => items.value.some((f) => f.status === 'uploading')),
    /** Uploads each file (from the attach button, a drop or a paste). */
    add(files: Iterable<File>) {
      for (const file of files) start(file);
    },
    /** Stops an upload, or takes a finished or failed one out of the message. */
    remove: forget,
    /** The stored files, for the message being sent: null while any is still uploading. */
    ready(): FileInfo[] | null {
      const list = items.peek();
      if (list.some((f) => f.status === 'uploading')) return null;
      return list.flatMap((f) => (f.file ? [f.file] : []));
    },
    /** The message went out: its files leave the tray (failed ones stay, with their reason). */
    sent() {
      for (const f of items.peek()) if (f.status === 'done') forget(f.key);
    },
    dispose() {
      for (const f of items.peek()) forget(f.key);
    },
  };
}

export type Uploads = ReturnType<typeof createUploads>;
