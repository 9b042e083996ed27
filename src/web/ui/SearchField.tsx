/**
 * A dialog's search box: its label is for screen readers only (the dialog's title says what
 * is searched), and it takes the focus when the dialog opens.
 */
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
        autoFocus
        autocomplete="off"
      />
    </>
  );
}
