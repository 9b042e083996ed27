import { useSignal } from '@preact/signals';
import { LIMITS } from '../../shared/limits';
import { Dialog } from '../ui/Dialog';
import { Field, FormError } from '../ui/Field';
import type { Directory } from './directory';

export function CreateRoomDialog({
  directory,
  onClose,
  onCreated = onClose,
}: {
  directory: Directory;
  onClose: () => void;
  /** The room was made and opened (this dialog is done). */
  onCreated?: () => void;
}) {
  const name = useSignal('');
  const topic = useSignal('');
  const isPrivate = useSignal(false);
  const errors = useSignal<Partial<Record<'name' | 'topic' | 'form', string>>>({});
  const busy = useSignal(false);

  async function submit(e: Event) {
    e.preventDefault();
    busy.value = true;
    errors.value = await directory.create(name.value, topic.value, isPrivate.value);
    busy.value = false;
    if (!Object.keys(errors.value).length) onCreated();
  }

  return (
    <Dialog title="New room" testId="create-room" onClose={onClose}>
      <form class="stack" onSubmit={submit} noValidate>
        <Field
          id="create-room-name"
          label="Name"
          value={name}
          error={errors.value.name}
          maxLength={LIMITS.roomName.max}
          autoFocus
        />
        <Field
          id="create-room-topic"
          label="Topic (optional)"
          value={topic}
          error={errors.value.topic}
          maxLength={LIMITS.topicChars}
        />
        <label class="check">
          <input
            type="checkbox"
            data-testid="create-room-private"
            checked={isPrivate.value}
            onChange={(e) => (isPrivate.value = e.currentTarget.checked)}
          />{' '}
          Private: hidden from the room list and search; people join only by invitation
        </label>
        <FormError error={errors.value.form} />
        <button
          type="submit"
          class="primary"
          data-testid="create-room-submit"
          disabled={busy.value}
        >
          Create room
        </button>
      </form>
    </Dialog>
  );
}
