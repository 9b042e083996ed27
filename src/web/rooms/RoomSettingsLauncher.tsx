/**
 * The room settings dialog, loaded the first time it opens (like search): moderation tools
 * stay out of the first screen's budget.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { RoomSettingsProps } from './RoomSettingsDialog';

type DialogComponent = (props: RoomSettingsProps) => preact.JSX.Element | null;

let loading: Promise<DialogComponent> | null = null;

export function RoomSettingsLauncher(props: RoomSettingsProps) {
  const Dialog = useSignal<DialogComponent | null>(null);
  const failed = useSignal(false);
  useEffect(() => {
    loading ??= import('./RoomSettingsDialog').then(
      (m) => m.RoomSettingsDialog,
      (err: unknown) => {
        loading = null;
        throw err;
      },
    );
    loading.then(
      (c) => (Dialog.value = c),
      () => (failed.value = true),
    );
  }, []);
  if (failed.value) {
    return (
      <p class="form-error toast" role="alert">
        Room settings could not load. Check the connection and try again.
      </p>
    );
  }
  const Loaded = Dialog.value;
  return Loaded ? <Loaded {...props} /> : null;
}
