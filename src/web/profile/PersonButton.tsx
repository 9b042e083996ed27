/**
 * A name or avatar that opens the person's profile card: a real button, so keys reach it.
 * Where no card can open (the widget), it is plain text: no button that promises a dialog.
 */
import type { ComponentChildren } from 'preact';
import { nameWithHandle } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';
import { cards, showProfile } from './card-state';

interface PersonButtonProps {
  user: UserRef;
  class?: string;
  testId?: string;
  style?: Record<string, string>;
  /** For an avatar-only button, which has no text of its own. */
  label?: string;
  tabIndex?: number;
  children: ComponentChildren;
}

export function PersonButton({ user, children, label, testId, ...rest }: PersonButtonProps) {
  if (!cards.shown)
    return (
      <span class={rest.class} style={rest.style} data-testid={testId} dir="auto">
        {children}
      </span>
    );
  return (
    <button
      type="button"
      class={`person-button ${rest.class ?? ''}`}
      style={rest.style}
      data-testid={testId}
      data-user-id={user.id}
      // The name's own direction: a right-to-left name cut short keeps its start, not its end.
      dir="auto"
      aria-haspopup="dialog"
      tabIndex={rest.tabIndex}
      aria-label={label}
      title={user.displayName ? nameWithHandle(user) : undefined}
      onClick={(e) => {
        e.stopPropagation();
        showProfile(user);
      }}
    >
      {children}
    </button>
  );
}
