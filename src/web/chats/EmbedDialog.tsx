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
  /** The list as saved: what Save would take away is asked about first. */
  const saved = useSignal<string[]>([]);
  const isPrivate = useSignal(false);
  /** When the room's identity secret was made; null for none, undefined while unknown. */
  const secretSince = useSignal<number | null | undefined>(undefined);
  const problem = useSignal<string | null>(null);
  const status = useSignal<string | null>(null);
  const secret = useSignal<string | null>(null);
  const snippet = `<script src="${location.origin}/widget.js" data-room="${roomId}" async></script>`;

  useEffect(() => {
    api.embedOrigins(roomId).then(
      (answer) => {
        saved.value = answer.origins;
        isPrivate.value = answer.private === true;
        origins.value = answer.origins.join('\n');
      },
      (err) => (problem.value = message(err)),
    );
    api.identitySecret(roomId).then(
      (answer) => (secretSince.value = answer.createdAt),
      () => undefined, // the list's answer says what went wrong
    );
  }, [api, roomId]);

  async function save() {
    const list = (origins.value ?? '')
      .split('\n')
      .map((o) => o.trim())
      .filter(Boolean);
    const removed = saved.value.filter((o) => !list.includes(o));
    // Taking a site off ends every session made on it, for good: asked first.
    if (
      removed.length > 0 &&
      !confirm(
        `Take ${removed.join(', ')} off the list? Everyone chatting on ${removed.length === 1 ? 'that site' : 'those sites'} is signed out for good (visitors come back as new visitors).`,
      )
    )
      return;
    problem.value = status.value = null;
    try {
      const answer = await api.setEmbedOrigins(roomId, list);
      saved.value = answer.origins;
      origins.value = answer.origins.join('\n');
      status.value = list.length ? 'Saved.' : 'Saved: no site may embed this room.';
    } catch (err) {
      problem.value = message(err);
    }
  }

  function newSecret() {
    // A new secret stops the old one at once: every token the site signs with it is refused.
    // Asked unless the room surely has none (not yet known counts as having one).
    if (
      secretSince.value !== null &&
      !confirm(
        'Replace the identity secret? Your site’s signed-in users cannot chat until your server signs with the new one.',
      )
    )
      return;
    api.newIdentitySecret(roomId).then(
      (answer) => {
        secret.value = answer.secret;
        secretSince.value = answer.createdAt;
      },
      (err) => (problem.value = message(err)),
    );
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
              Exact origins, one site each (no wildcards): https://, or http://localhost:PORT or
              http://127.0.0.1:PORT while developing.
            </p>
            {isPrivate.value && (
              <p class="hint" data-testid="embed-private">
                This room is private, so no site shows it. The list is kept for when it is public
                again.
              </p>
            )}
            <button
              type="button"
              class="primary"
              data-testid="embed-save"
              onClick={() => void save()}
            >
              Save sites
            </button>
            {secretSince.value !== undefined && (
              <p class="hint" id="identity-secret-state" data-testid="identity-secret-state">
                {secretSince.value === null
                  ? 'No identity secret yet: make one to sign your site’s own users in.'
                  : `Identity secret made ${new Date(secretSince.value).toLocaleString()}. A new one replaces it at once.`}
              </p>
            )}
            <button
              type="button"
              data-testid="identity-secret-new"
              aria-describedby="identity-secret-state"
              onClick={newSecret}
            >
              {secretSince.value ? 'Replace the identity secret' : 'Make an identity secret'}
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
