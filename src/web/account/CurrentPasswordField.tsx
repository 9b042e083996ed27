/** The account's current password, asked again before a change that needs it. */
import type { Signal } from '@preact/signals';
import { Field } from '../ui/Field';

interface CurrentPasswordProps {
  id: string;
  value: Signal<string>;
  error?: string;
  label?: string;
}

export function CurrentPasswordField({ label = 'Your password', ...field }: CurrentPasswordProps) {
  return <Field {...field} label={label} type="password" autocomplete="current-password" />;
}
