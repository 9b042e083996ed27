/** The profile editor, loaded the first time it opens (off the first screen's budget). */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { ProfileDialog } from './ProfileDialog';

type Props = Parameters<typeof ProfileDialog>[0];

let loading: Promise<typeof ProfileDialog> | null = null;

export function ProfileLauncher(props: Props) {
  const Loaded = useSignal<typeof ProfileDialog | null>(null);
  const failed = useSignal(false);
  useEffect(() => {
    loading ??= import('./ProfileDialog').then(
      (m) => m.ProfileDialog,
      (err: unknown) => {
        loading = null;
        throw err;
      },
    );
    loading.then(
      (c) => (Loaded.value = c),
      () => (failed.value = true),
    );
  }, []);
  if (failed.value) {
    return (
      <p class="form-error toast" role="alert">
        The profile editor could not load. Check the connection and try again.
      </p>
    );
  }
  const Dialog = Loaded.value;
  return Dialog ? <Dialog {...props} /> : null;
}
