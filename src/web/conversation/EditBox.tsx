/** Editing a message in place: Enter saves, Shift+Enter is a new line, Escape cancels. */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { charactersLeft, LengthCounter } from './LengthCounter';
import { editableText } from './mentions';
import type { Conversation } from './model';

interface EditBoxProps {
  initial: string;
  /** The edited text as it is stored (mentions back to `<@id>` tokens). */
  encode: (text: string) => string;
  onSave: (text: string) => void;
  onCancel: () => void;
}

/** The box for a stored message: mentions shown as `@name`, like the composer, saved as tokens. */
export function MessageEditBox(
  props: { conv: Conversation; stored: string } & Pick<EditBoxProps, 'onSave' | 'onCancel'>,
) {
  const { conv, stored, ...handlers } = props;
  const { text, encode } = editableText(stored, conv.names.nameOf, conv.mentions.allowHere);
  return <EditBox initial={text} encode={encode} {...handlers} />;
}

export function EditBox({ initial, encode, onSave: save, onCancel }: EditBoxProps) {
  // Too long, nothing is saved: the counter says by how much.
  const onSave = (edited: string) => charactersLeft(edited) >= 0 && save(encode(edited));
  const text = useSignal(initial);
  const input = useRef<HTMLTextAreaElement>(null);
  // autofocus only works on page load; the box opens later (Edit, or ↑ in the composer).
  // The caret goes to the end once, on opening: a later click or selection is the user's.
  useEffect(() => {
    const box = input.current;
    box?.focus();
    box?.setSelectionRange(box.value.length, box.value.length);
  }, []);
  return (
    <form
      class="edit-box"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(text.value);
      }}
    >
      <label class="visually-hidden" for="edit-input">
        Edit message
      </label>
      <textarea
        id="edit-input"
        data-testid="edit-input"
        dir="auto"
        ref={input}
        value={text.value}
        onInput={(e) => (text.value = e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            onSave(text.value);
          }
        }}
      />
      <div class="edit-actions">
        <LengthCounter text={text.value} />
        <button
          type="submit"
          class="primary"
          data-testid="edit-save"
          disabled={charactersLeft(text.value) < 0}
        >
          Save
        </button>
        <button type="button" onClick={onCancel} data-testid="edit-cancel">
          Cancel
        </button>
      </div>
    </form>
  );
}
