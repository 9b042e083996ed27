/** A live strength meter under the password field, with the reason a password is refused. */
import type { Strength } from '../../shared/password-strength';

const LABELS = ['Too weak', 'Weak', 'Fair', 'Good', 'Strong'] as const;

interface MeterProps {
  /** Null while the estimator loads (its first use) or the field is empty. */
  strength: Strength | null;
  empty: boolean;
  /** False when the field already shows the same reason as its error. */
  showReason?: boolean;
}

export function PasswordMeter({ strength, empty, showReason = true }: MeterProps) {
  if (empty || !strength) return null;
  return (
    <div class="meter" data-testid="password-strength" data-score={strength.score}>
      <meter
        min={0}
        max={4}
        low={2}
        high={3}
        optimum={4}
        value={strength.score}
        aria-hidden="true"
      />
      <span aria-live="polite">
        {LABELS[strength.score]}
        {showReason && strength.reason && `: ${strength.reason}`}
      </span>
    </div>
  );
}
