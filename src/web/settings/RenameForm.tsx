/**
 * Changing your name: an explicit, confirmed action (never a side effect of signing in).
 * Every chat shows the new name at once, on every message, by user id.
 */
import { useSignal } from '@preact/signals';
import type { Me } from '../../shared/api';
import type { Api } from '../api/endpoints';
import { ApiError } from '../api/http';
import { Field } from '../ui/Field';

interface RenameProps {
  api: Api;
  me: Me;
  onRenamed: (me: Me) => void;
}

export function RenameForm({ api, me, onRenamed }: RenameProps) {
  const name = useSignal(me.name);
  const error = useSignal<string | undefined>(undefined);
  const done = useSignal(false);
  const busy = useSignal(false);

  async function submit(e: Event) {
    e.preventDefault();
    busy.value = true;
    done.value = false;
    try {
      onRenamed(await api.rename(name.value.trim()));
      error.value = undefined;
      done.value = true;
    } catch (err) {
      error.value =
        err instanceof ApiError ? err.message : 'Could not change your name. Try again.';
    } finally {
      busy.value = false;
    }
  }

  return (
    <form class="stack" onSubmit={(e) => void submit(e)} data-testid="rename-form">
      <Field
        id="rename-name"
        label="Username"
        value={name}
        error={error.value}
        autocomplete="username"
        hint={
          <p class="hint">
            Your unique name: people find and @mention you by it, and see the new one on all your
            messages, old ones too. The name shown beside it is your profile's display name.
          </p>
        }
      />
      <div class="inline-actions">
        <button
          type="submit"
          data-testid="rename-submit"
          disabled={busy.value || !name.value.trim() || name.value.trim() === me.name}
        >
          Change username
        </button>
        {done.value && (
          <span role="status" data-testid="rename-done">
            Username changed.
          </span>
        )}
      </div>
    </form>
  );
}
