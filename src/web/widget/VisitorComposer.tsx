/**
 * A new visitor's composer: they write first, and are asked for a name (inline, nothing
 * else) when they send. Their message waits in the box until they are in.
 */
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { charactersLeft, LengthCounter } from '../conversation/LengthCounter';
import { ApiError } from '../api/http';
import type { WidgetStore } from './store';

function problemText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return 'Cannot reach the chat server. Try again in a moment.';
    return err.message;
  }
  return 'Something went wrong. Try again.';
}

export function VisitorComposer({ store }: { store: WidgetStore }) {
  const text = useSignal('');
  const name = useSignal('');
  const askName = useSignal(false);
  const busy = useSignal(false);
  const problem = useSignal<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  async function submit() {
    const message = text.value.trim();
    if (!message || busy.value || charactersLeft(message) < 0) return;
    if (!askName.value) {
      askName.value = true;
      queueMicrotask(() => nameInput.current?.focus());
      return;
    }
    if (!name.value.trim()) {
      problem.value = 'Enter a name to send.';
      nameInput.current?.focus();
      return;
    }
    busy.value = true;
    problem.value = null;
    try {
      await store.start(name.value.trim(), message);
    } catch (err) {
      problem.value = problemText(err);
      // The name is what a 409 or a 400 is about.
      if (err instanceof ApiError && err.field) nameInput.current?.focus();
    } finally {
      busy.value = false;
    }
  }

  return (
    <form
      class="composer visitor-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label class="visually-hidden" for="composer-input">
        Message
      </label>
      <textarea
        id="composer-input"
        data-testid="composer-input"
        dir="auto"
        rows={2}
        placeholder="Write a message"
        value={text.value}
        onInput={(e) => (text.value = e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void submit();
          }
        }}
      />
      {askName.value && (
        <div class="visitor-name">
          <label for="visitor-name">Your name</label>
          <input
            id="visitor-name"
            data-testid="visitor-name"
            ref={nameInput}
            dir="auto"
            autocomplete="nickname"
            value={name.value}
            aria-describedby="visitor-name-hint"
            onInput={(e) => (name.value = e.currentTarget.value)}
          />
          <p id="visitor-name-hint" class="hint">
            Shown with your messages. Nothing else is needed.
          </p>
        </div>
      )}
      {problem.value && (
        <p class="form-error" role="alert" data-testid="visitor-problem">
          {problem.value}
        </p>
      )}
      <LengthCounter text={text.value} />
      <button
        type="submit"
        class="primary"
        data-testid="visitor-send"
        disabled={busy.value || charactersLeft(text.value.trim()) < 0}
      >
        {busy.value ? 'Sending…' : 'Send'}
      </button>
    </form>
  );
}
