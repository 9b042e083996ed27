/** The chat header's "Notifications" menu: this chat's level, as radio buttons. */
import type { NotifyLevel } from '../../shared/attention';
import type { Attention } from './attention';
import { Popover } from './Popover';

export const LEVEL_TEXT: Record<NotifyLevel, { label: string; hint: string }> = {
  all: { label: 'All messages', hint: 'Every new message makes a sound and a notification' },
  mentions: { label: 'Mentions only', hint: 'Only messages that mention you (or @here)' },
  none: { label: 'Nothing', hint: 'Never a sound or notification; unread still counted' },
};

export function NotifyLevelMenu(props: {
  attention: Attention;
  roomId: string;
  level: NotifyLevel;
}) {
  const { attention, roomId, level } = props;
  return (
    <Popover
      label={`Notifications for this chat: ${LEVEL_TEXT[level].label}`}
      face={level === 'none' ? 'Muted' : 'Notify'}
      testId="notify-level"
    >
      {(close) => (
        <fieldset class="stack notify-levels">
          <legend>Notify me about</legend>
          {(Object.keys(LEVEL_TEXT) as NotifyLevel[]).map((l) => (
            <label class="check" key={l}>
              <input
                type="radio"
                name={`notify-${roomId}`}
                value={l}
                data-testid={`notify-${l}`}
                checked={l === level}
                onChange={() => void attention.setLevel(roomId, l).then(close)}
              />
              <span>
                {LEVEL_TEXT[l].label}
                <span class="hint"> — {LEVEL_TEXT[l].hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
    </Popover>
  );
}
