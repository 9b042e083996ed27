/** The keyboard shortcuts, listed (Ctrl+/ or ?): from the table the listener uses. */
import { Fragment } from 'preact';
import { Dialog } from '../ui/Dialog';
import { SHORTCUTS } from './shortcuts';
import './shortcuts.css';

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" testId="shortcuts" onClose={onClose}>
      <dl class="shortcuts">
        {SHORTCUTS.map((s) => (
          <div key={s.does}>
            <dt>
              {s.keys.map((k, i) => (
                <Fragment key={k}>
                  {i > 0 && ' or '}
                  <kbd>{k}</kbd>
                </Fragment>
              ))}
            </dt>
            <dd>{s.does}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
