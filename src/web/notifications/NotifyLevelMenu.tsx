/** The chat header's "Notifications" menu: this chat's level (the panel loads on first open). */
import type { NotifyLevel } from '../../shared/attention';
import { lazy } from '../ui/lazy';
import type { Attention } from './attention';
import { Popover } from './Popover';

const LevelChoices = lazy(() => import('./menus').then((m) => m.LevelChoices), 'the choices');

const LABELS: Record<NotifyLevel, string> = {
  all: 'All messages',
  mentions: 'Mentions only',
  none: 'Nothing',
};

export function NotifyLevelMenu(props: {
  attention: Attention;
  roomId: string;
  level: NotifyLevel;
}) {
  const { level } = props;
  const face = level === 'none' ? 'Muted' : 'Notify';
  return (
    <Popover
      // Its name starts with what it shows, so "click Notify" by voice finds it.
      label={`${face} (notifications for this chat: ${LABELS[level]})`}
      face={face}
      testId="notify-level"
    >
      {() => <LevelChoices {...props} />}
    </Popover>
  );
}
