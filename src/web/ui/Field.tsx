/** A labelled input whose error sits right under it and is tied to it for screen readers. */
import type { Signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';

interface FieldProps {
  id: string;
  label: string;
  value: Signal<string>;
  error?: string;
  type?: 'text' | 'password' | 'email' | 'search';
  autocomplete?: string;
  hint?: ComponentChildren;
  required?: boolean;
  maxLength?: number;
  autoFocus?: boolean;
}

export function Field(props: FieldProps) {
  const errorId = `${props.id}-error`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        data-testid={props.id}
        type={props.type ?? 'text'}
        value={props.value.value}
        onInput={(e) => (props.value.value = e.currentTarget.value)}
        autocomplete={props.autocomplete}
        required={props.required}
        maxLength={props.maxLength}
        autoFocus={props.autoFocus}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errorId : undefined}
      />
      {props.hint}
      {props.error && (
        <p class="field-error" id={errorId} data-testid={`field-error-${props.id}`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}
