/**
 * The file components, loaded the first time one is needed (a message with files, a file
 * added to the composer): their code and styles stay out of the first screen's budget.
 * Until then a message keeps the exact space its files will take.
 */
import { useSignal } from '@preact/signals';
import type { ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';
import type { AttachmentsProps } from './Attachments';
import { CARD_HEIGHT, thumbBox } from './box';
import type { UploadTrayProps } from './UploadTray';

function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: (props: P) => preact.JSX.Element | null = () => null,
) {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  return function Lazy(props: P) {
    const component = useSignal(loaded);
    useEffect(() => {
      if (component.peek()) return;
      loading ??= load().then(
        (c) => (loaded = c),
        (err: unknown) => {
          loading = null; // the next render tries again
          throw err;
        },
      );
      loading.then(
        (c) => (component.value = c),
        () => {},
      );
    }, []);
    const Loaded = component.value;
    return Loaded ? <Loaded {...props} /> : fallback(props);
  };
}

/** Where the files will be: one box per file, the size they take once loaded. */
function Placeholder({ files, token }: AttachmentsProps) {
  return (
    <ul class="attachments" aria-busy="true">
      {files.map((f) => {
        const box = thumbBox(f, token !== null);
        return (
          <li
            key={f.id}
            style={
              box
                ? { width: `${box.width}px`, height: `${box.height}px` }
                : { height: `${CARD_HEIGHT}px` }
            }
          />
        );
      })}
    </ul>
  );
}

export const Attachments = lazyComponent<AttachmentsProps>(
  () => import('./ui').then((m) => m.Attachments),
  Placeholder,
);

export const UploadTray = lazyComponent<UploadTrayProps>(() =>
  import('./ui').then((m) => m.UploadTray),
);
