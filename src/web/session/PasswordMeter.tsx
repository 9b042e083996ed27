/** A live strength meter under the password field, with the reason a password is refused. */
import type { Strength } from '../../shared/password-strength';

const LABELS = ['Too weak', 'Weak', 'Fair', 'Good', 'Strong'] as const;

export function PasswordMeter({ strength, empty }: { strength: Strength; empty: boolean }) {
  if (empty) return null;
  return (
    <div class="meter" data-testid="password-strength" data-score={strength.score}>
      <meter min={0} max={4} low={2} high={3} optimum={4} value={strength.score} aria-hidden="true" />
      <span aria-live="polite">
        {LABELS[strength.score]}
        {strength.reason && `: ${strength.reason}`}
      </span>
    </div>
  );
}
