/** A labelled input whose error sits right under it and is tied to it for screen readers. */
import type { Signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';

interface FieldProps {
  id: string;
  label: string;
  value: Signal<string>;
  error?: string;
  type?: 'text' | 'password' | 'email';
  autocomplete?: string;
  hint?: ComponentChildren;
  maxLength?: number;
  autoFocus?: boolean;
  /** A text of several lines: a textarea this many rows high. */
  rows?: number;
}

export function Field(props: FieldProps) {
  const errorId = `${props.id}-error`;
  const common = {
    id: props.id,
    'data-testid': props.id,
    value: props.value.value,
    onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
      (props.value.value = e.currentTarget.value),
    autocomplete: props.autocomplete,
    maxLength: props.maxLength,
    autoFocus: props.autoFocus,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': props.error ? errorId : undefined,
  };
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.rows ? (
        <textarea rows={props.rows} {...common} />
      ) : props.type === 'password' ? (
        <input type="password" {...common} />
      ) : props.type === 'email' ? (
        <input type="email" {...common} />
      ) : (
        <input type="text" {...common} />
      )}
      {props.hint}
      {props.error && (
        <p class="field-error" id={errorId} data-testid={`field-error-${props.id}`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** What went wrong with a form as a whole (not one field), announced when it appears. */
export function FormError({ error }: { error: string | null | undefined }) {
  return error ? (
    <p class="form-error" role="alert">
      {error}
    </p>
  ) : null;
}
