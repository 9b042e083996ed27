/**
 * A room's embedding settings, for its owner (docs/widget.md): the snippet to copy, the sites
 * allowed to embed the room, and the identity secret for `Parlor('identify')`, shown once.
 * Anyone else who opens it is told that only the owner can.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { Api } from '../api/endpoints';
import { ApiError } from '../api/http';
import { Dialog } from '../ui/Dialog';

const message = (err: unknown) =>
  err instanceof ApiError ? err.message : 'Something went wrong. Try again.';

export function EmbedDialog(props: { api: Api; roomId: string; onClose: () => void }) {
  const { api, roomId } = props;
  const origins = useSignal<string | null>(null);
  const problem = useSignal<string | null>(null);
  const status = useSignal<string | null>(null);
  const secret = useSignal<string | null>(null);
  const snippet = `<script src="${location.origin}/widget.js" data-room="${roomId}" async></script>`;

  useEffect(() => {
    api.embedOrigins(roomId).then(
      (list) => (origins.value = list.join('\n')),
      (err) => (problem.value = message(err)),
    );
  }, [api, roomId]);

  async function save() {
    const list = (origins.value ?? '')
      .split('\n')
      .map((o) => o.trim())
      .filter(Boolean);
    problem.value = status.value = null;
    try {
      origins.value = (await api.setEmbedOrigins(roomId, list)).join('\n');
      status.value = list.length ? 'Saved.' : 'Saved: no site may embed this room.';
    } catch (err) {
      problem.value = message(err);
    }
  }

  return (
    <Dialog title="Embed this room" testId="embed-dialog" onClose={props.onClose}>
      <div class="form embed-settings">
        <label for="embed-snippet">Snippet for your site</label>
        <textarea
          id="embed-snippet"
          data-testid="embed-snippet"
          readOnly
          rows={3}
          value={snippet}
        />
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard
              ?.writeText(snippet)
              .then(() => (status.value = 'Snippet copied.'))
              .catch(() => (status.value = 'Select the snippet and copy it.'))
          }
        >
          Copy snippet
        </button>
        {origins.value !== null && (
          <>
            <label for="embed-origins">Sites allowed to embed this room, one per line</label>
            <textarea
              id="embed-origins"
              data-testid="embed-origins"
              rows={4}
              placeholder="https://www.example.com"
              aria-describedby="embed-origins-hint"
              value={origins.value}
              onInput={(e) => (origins.value = e.currentTarget.value)}
            />
            <p id="embed-origins-hint" class="hint">
              Exact origins, one site each (no wildcards): https://, or http://localhost:PORT while
              developing.
            </p>
            <button
              type="button"
              class="primary"
              data-testid="embed-save"
              onClick={() => void save()}
            >
              Save sites
            </button>
            <button
              type="button"
              data-testid="identity-secret-new"
              onClick={() =>
                void api.newIdentitySecret(roomId).then(
                  (s) => (secret.value = s),
                  (err) => (problem.value = message(err)),
                )
              }
            >
              Make a new identity secret
            </button>
            {secret.value && (
              <>
                <label for="identity-secret">
                  Identity secret (shown once; keep it on your server)
                </label>
                <input
                  id="identity-secret"
                  data-testid="identity-secret"
                  readOnly
                  value={secret.value}
                />
              </>
            )}
          </>
        )}
        {problem.value && (
          <p class="form-error" role="alert" data-testid="embed-problem">
            {problem.value}
          </p>
        )}
        {status.value && (
          <p role="status" data-testid="embed-status">
            {status.value}
          </p>
        )}
      </div>
    </Dialog>
  );
}
