/**
 * A completer's options (completer.ts) as a listbox tied to the composer's text box: the box
 * keeps the focus (its aria-activedescendant names the active option, `${optionTestId}-${i}`),
 * a click picks.
 */
import type { ComponentChildren } from 'preact';
import type { Completer } from './completer';

interface CompletionListProps<T> {
  id: string;
  label: string;
  class: string;
  testId: string;
  optionTestId: string;
  list: Pick<Completer<T>, 'options' | 'active'>;
  keyOf: (option: T) => string;
  children: (option: T) => ComponentChildren;
  onPick: () => void;
}

export function CompletionList<T>(props: CompletionListProps<T>) {
  const { id, list } = props;
  const options = list.options.value;
  return (
    <ul
      id={id}
      class={props.class}
      role="listbox"
      aria-label={props.label}
      hidden={options.length === 0}
      data-testid={props.testId}
    >
      {options.map((o, i) => (
        <li
          key={props.keyOf(o)}
          id={`${props.optionTestId}-${i}`}
          role="option"
          aria-selected={i === list.active.value}
          data-testid={props.optionTestId}
          onMouseDown={(e) => {
            e.preventDefault(); // keep the focus in the box
            list.active.value = i;
            props.onPick();
          }}
        >
          {props.children(o)}
        </li>
      ))}
    </ul>
  );
}
