/** Opens the emoji picker: its code and data load the first time one is opened. */
import { lazy } from '../ui/lazy';
import type { EmojiPickerProps } from './EmojiPicker';
import { loadCatalog } from './load';
import { recentEmoji, rememberEmoji } from './recent';

const Picker = lazy(() => import('./EmojiPicker').then((m) => m.EmojiPicker), 'the emoji picker');

export function LazyEmojiPicker(props: EmojiPickerProps) {
  return (
    <Picker
      {...props}
      loadCatalog={loadCatalog}
      recentEmoji={recentEmoji}
      rememberEmoji={rememberEmoji}
    />
  );
}
