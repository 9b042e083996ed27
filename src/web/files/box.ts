/**
 * The space an attachment takes in a message, known before its code or its image has
 * loaded, so nothing in the stream moves when they arrive (the list keeps its scroll
 * position by heights).
 */
import { isInlineImage, type FileInfo } from '../../shared/files';

/** Thumbnails fit this box; the browser scales the original (no thumbnail is stored). */
const THUMB = { width: 320, height: 240 };
/** Tiny images still get a box big enough to click. */
const MIN_SIDE = 48;

/** An image's thumbnail size in CSS pixels, or null for a file shown as a card. */
export function thumbBox(file: FileInfo): { width: number; height: number } | null {
  if (!isInlineImage(file.type)) return null;
  const { width, height } = file;
  if (!width || !height) return { width: 240, height: 180 };
  const scale = Math.min(1, THUMB.width / width, THUMB.height / height);
  return {
    width: Math.max(MIN_SIDE, Math.round(width * scale)),
    height: Math.max(MIN_SIDE, Math.round(height * scale)),
  };
}

/** A file card's height in CSS pixels (files.css gives `.file-card` the same). */
export const CARD_HEIGHT = 56;
