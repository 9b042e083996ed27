/**
 * A dialog's search box: its label is for screen readers only (the dialog's title says what
 * is searched), it takes the focus when the dialog opens, and Escape closes the dialog.
 */

/**
 * Escape in a dialog's search box closes the dialog at once, as Escape does anywhere else in
 * it: a `type=search` box would take the first Escape to clear its text. Closed as its ×
 * button closes it, so focus goes back to what opened it.
 */
export function closeOnEscape(e: KeyboardEvent) {
  if (e.key !== 'Escape' || e.isComposing) return;
  const dialog = (e.currentTarget as Element | null)?.closest('dialog');
  if (!dialog) return;
  e.preventDefault();
  dialog.close();
}

interface SearchFieldProps {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onInput: (value: string) => void;
  testId?: string;
}

export function SearchField({ id, label, placeholder, value, onInput, testId }: SearchFieldProps) {
  return (
    <>
      <label class="visually-hidden" for={id}>
        {label}
      </label>
      <input
        id={id}
        data-testid={testId}
        type="search"
        placeholder={placeholder}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        onKeyDown={closeOnEscape}
        autoFocus
        autocomplete="off"
      />
    </>
  );
}
