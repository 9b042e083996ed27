/**
 * One upload over XMLHttpRequest: its `upload.onprogress` reports progress as the body
 * leaves, and `abort()` cancels. (Chromium's fetch can stream a request body only over
 * HTTP/2 and reports no upload progress, so it cannot drive a progress bar.)
 */
import { type FileInfo, uploadResponse } from '../../shared/files';

export interface TransferEvents {
  progress(fraction: number): void;
  done(file: FileInfo): void;
  failed(reason: string): void;
}

export function transfer(
  url: string,
  file: File,
  token: string | null | undefined,
  on: TransferEvents,
): XMLHttpRequest {
  const xhr = new XMLHttpRequest();
  xhr.open('POST', url);
  // The server's CSRF rule: a type no cross-site form can send without a preflight.
  xhr.setRequestHeader('content-type', 'application/octet-stream');
  if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
  xhr.responseType = 'json';
  xhr.upload.onprogress = (e) => {
    if (e.lengthComputable) on.progress(e.loaded / e.total);
  };
  xhr.onload = () => {
    const parsed = uploadResponse.safeParse(xhr.response);
    if (xhr.status === 201 && parsed.success) return on.done(parsed.data.file);
    const message = (xhr.response as { error?: { message?: unknown } } | null)?.error?.message;
    on.failed(typeof message === 'string' ? message : `The server answered ${xhr.status}`);
  };
  xhr.onerror = () => on.failed('Cannot reach Parlor. Check your connection.');
  xhr.send(file);
  return xhr;
}
