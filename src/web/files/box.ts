/**
 * The space an attachment takes in a message, known before its code or its image has
 * loaded, so nothing in the stream moves when they arrive (the list keeps its scroll
 * position by heights).
 */
import { isInlineImage, type FileInfo } from '../../shared/files';

/** Thumbnails fit this box; the browser scales the original (no thumbnail is stored). */
const THUMB = { width: 320, height: 240 };
/** The widget's panel is at most 380 pixels wide, its messages narrower still. */
const NARROW_THUMB = { width: 220, height: 180 };
/** Tiny images still get a box big enough to click. */
const MIN_SIDE = 48;

/**
 * An image's thumbnail size in CSS pixels, or null for a file shown as a card; `narrow` in
 * the widget's panel.
 */
export function thumbBox(file: FileInfo, narrow = false): { width: number; height: number } | null {
  if (!isInlineImage(file.type)) return null;
  const fit = narrow ? NARROW_THUMB : THUMB;
  const { width, height } = file;
  // Size unknown: a 4:3 box that fits.
  if (!width || !height) return narrow ? { width: 220, height: 165 } : { width: 240, height: 180 };
  const scale = Math.min(1, fit.width / width, fit.height / height);
  return {
    width: Math.max(MIN_SIDE, Math.round(width * scale)),
    height: Math.max(MIN_SIDE, Math.round(height * scale)),
  };
}

/** A file card's height in CSS pixels (files.css gives `.file-card` the same). */
export const CARD_HEIGHT = 56;
