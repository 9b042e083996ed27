/**
 * The composer's completion lists (a chunk loaded when the composer first takes focus or
 * input): `@` mentions of the chat's members and `:ta` emoji shortcodes, each a listbox tied
 * to the text box, which keeps the focus.
 */
import type { UserRef } from '../../shared/protocol';
import { createEmojiCompleter } from '../emoji/completer';
import { rememberEmoji } from '../emoji/recent';
import { UserTag } from '../profile/UserTag';
import { CompletionList } from '../ui/CompletionList';
import { createMentionPicker } from './mention-picker';
import type { Conversation } from './model';

/** What a key or an input in the text box asks of the lists. */
interface KeyPress {
  key: string;
  isComposing: boolean;
  preventDefault(): void;
}

const box = () => document.getElementById('composer-input') as HTMLTextAreaElement;

export function createComposerLists(conv: Conversation) {
  const { picked, allowHere } = conv.mentions;
  const people = createMentionPicker((q) => conv.api.members(conv.roomId, q), allowHere, picked);
  const emoji = createEmojiCompleter();

  // After the render that puts the new text in, the caret goes after what was inserted.
  function put(next: { text: string; caret: number }, input: HTMLTextAreaElement) {
    conv.draft.value = next.text;
    requestAnimationFrame(() => input.setSelectionRange(next.caret, next.caret));
  }
  function pickPerson() {
    const input = box();
    const option = people.options.peek()[people.active.peek()];
    if (option && option !== 'here') conv.names.update(option); // its chip shows the name at once
    const next = people.pick(input.value, input.selectionStart);
    if (next) put(next, input);
  }
  function pickEmoji() {
    const input = box();
    const next = emoji.pick(input.value, input.selectionStart);
    if (!next) return;
    rememberEmoji(next.option.emoji);
    put(next, input);
  }

  return {
    people,
    emoji,
    pickPerson,
    pickEmoji,
    /** The text before the caret changed: open, narrow or close the lists. */
    typed(beforeCaret: string) {
      void people.typed(beforeCaret);
      void emoji.typed(beforeCaret);
    },
    close() {
      people.close();
      emoji.close();
    },
    /** An open list takes its keys first (the mentions', else the shortcodes'). */
    keyDown: (e: KeyPress) => people.keyDown(e, pickPerson) || emoji.keyDown(e, pickEmoji),
  };
}

export type ComposerLists = ReturnType<typeof createComposerLists>;

export function CompletionLists({ lists }: { lists: ComposerLists }) {
  return (
    <>
      <CompletionList
        id="mention-options"
        class="mention-options"
        label="People to mention"
        testId="mention-options"
        optionTestId="mention-option"
        list={lists.people}
        keyOf={(o) => (o === 'here' ? 'here' : o.id)}
        onPick={lists.pickPerson}
      >
        {(o) => (o === 'here' ? <Here /> : <Person person={o} />)}
      </CompletionList>
      <CompletionList
        id="emoji-options"
        class="mention-options emoji-options"
        label="Emoji"
        testId="emoji-options"
        optionTestId="emoji-completion"
        list={lists.emoji}
        keyOf={(o) => o.name}
        onPick={lists.pickEmoji}
      >
        {(o) => (
          <>
            <span aria-hidden="true">{o.emoji}</span> :{o.name}:
          </>
        )}
      </CompletionList>
    </>
  );
}

const Here = () => (
  <>
    <strong>@here</strong> <span class="hint">everyone online in this chat</span>
  </>
);

function Person({ person: o }: { person: UserRef }) {
  return (
    <>
      <bdi>@{o.name}</bdi>
      {o.displayName && (
        <>
          {' '}
          <bdi class="hint" dir="auto">
            {o.displayName}
          </bdi>
        </>
      )}
      {o.kind && <UserTag user={o} />}
    </>
  );
}
