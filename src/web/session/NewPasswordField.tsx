/**
 * A new password's field with the live strength meter under it (the meter's reason gives
 * way to the field's own error, which says the same or more).
 */
import { signal, type ReadonlySignal, type Signal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { Field } from '../ui/Field';
import { PasswordMeter } from './PasswordMeter';
import { strengthOf } from './strength';

interface NewPasswordProps {
  id: string;
  value: Signal<string>;
  error?: string;
  /** The account's username: a password built from it is weak. */
  username?: ReadonlySignal<string | undefined>;
  autoFocus?: boolean;
}

export function NewPasswordField({ id, value, error, username, autoFocus }: NewPasswordProps) {
  const meter = useMemo(() => strengthOf(value, username ?? signal(undefined)), []);
  useEffect(() => meter.dispose, [meter]);
  return (
    <Field
      id={id}
      label="New password"
      type="password"
      value={value}
      error={error}
      autocomplete="new-password"
      autoFocus={autoFocus}
      hint={
        <PasswordMeter strength={meter.strength.value} empty={!value.value} showReason={!error} />
      }
    />
  );
}
