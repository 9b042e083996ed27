/** Opens the emoji picker: its code and data load the first time one is opened. */
import { useEffect, useState } from 'preact/hooks';
import type { EmojiPickerProps } from './EmojiPicker';

type PickerComponent = (props: EmojiPickerProps) => preact.JSX.Element;
let loaded: PickerComponent | null = null;

export function LazyEmojiPicker(props: EmojiPickerProps) {
  const [Picker, setPicker] = useState<PickerComponent | null>(() => loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (Picker) return;
    import('./EmojiPicker').then(
      (m) => {
        loaded = m.EmojiPicker;
        setPicker(() => m.EmojiPicker);
      },
      () => setFailed(true),
    );
  }, []);
  if (Picker) return <Picker {...props} />;
  return (
    <div class="emoji-picker" role="status" data-testid="emoji-picker-loading">
      {failed ? 'Could not load the emoji picker.' : 'Loading emoji…'}
    </div>
  );
}
