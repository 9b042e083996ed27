/**
 * The search dialog, loaded the first time it opens: its code and styles stay out of the
 * first screen's budget. Only this small wrapper is in the main bundle.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { SearchDialogProps } from './SearchDialog';

type DialogComponent = (props: SearchDialogProps) => preact.JSX.Element;

let loading: Promise<DialogComponent> | null = null;

function loadDialog(): Promise<DialogComponent> {
  loading ??= import('./SearchDialog').then(
    (m) => m.SearchDialog,
    (err: unknown) => {
      loading = null; // a later open tries again
      throw err;
    },
  );
  return loading;
}

export function SearchLauncher(props: SearchDialogProps) {
  const Dialog = useSignal<DialogComponent | null>(null);
  const failed = useSignal(false);
  useEffect(() => {
    loadDialog().then(
      (c) => (Dialog.value = c),
      () => (failed.value = true),
    );
  }, []);
  if (failed.value) {
    return (
      <p class="form-error toast" role="alert">
        Search could not load. Check the connection and try again.
      </p>
    );
  }
  const Loaded = Dialog.value;
  return Loaded ? <Loaded {...props} /> : null;
}
