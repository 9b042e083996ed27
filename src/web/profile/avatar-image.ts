/**
 * The avatar a person picks, made ready in the browser: cropped to the centre square,
 * resized to PROFILE_LIMITS.avatarPixels, and encoded as WebP (PNG where the browser cannot
 * encode WebP), so what is uploaded is small and the original file — with its metadata,
 * location included — never leaves the device.
 */
import { PROFILE_LIMITS } from '../../shared/profile';

export async function squareAvatar(file: Blob): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error('That file is not an image this browser can read');
  }
  const side = Math.min(bitmap.width, bitmap.height);
  const size = PROFILE_LIMITS.avatarPixels;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(
    bitmap,
    (bitmap.width - side) / 2,
    (bitmap.height - side) / 2,
    side,
    side,
    0,
    0,
    size,
    size,
  );
  bitmap.close();
  const encode = (type: string) =>
    new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.85));
  const webp = await encode('image/webp');
  const blob = webp?.type === 'image/webp' ? webp : await encode('image/png');
  if (!blob) throw new Error('Could not prepare the picture');
  return blob;
}

/** Uploads the prepared image's bytes; answers the server's error message on refusal. */
export async function uploadAvatar(image: Blob): Promise<unknown> {
  const res = await fetch('/api/me/avatar', {
    method: 'PUT',
    headers: { 'content-type': image.type || 'application/octet-stream' },
    credentials: 'same-origin',
    body: image,
  });
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const message = (json as { error?: { message?: unknown } } | null)?.error?.message;
    throw new Error(typeof message === 'string' ? message : 'Could not upload the picture');
  }
  return json;
}
