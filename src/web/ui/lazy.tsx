/**
 * A component whose code loads the first time it renders (a dynamic import, a chunk of its
 * own), so what only opens on demand stays out of the first screen's JavaScript.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

type Component<P> = (props: P) => JSX.Element | null;

/**
 * `fallback` replaces the default "Loading …" paragraph where that would be out of place
 * (a list item, a dialog that opens over the page: `toast`). A load that failed is tried
 * again the next time the component renders anew.
 */
export function lazy<P extends object>(
  load: () => Promise<Component<P>>,
  what: string,
  fallback?: (failed: boolean, what: string) => JSX.Element | null,
) {
  let loaded: Component<P> | null = null;
  return function Lazy(props: P) {
    const [Loaded, setLoaded] = useState<Component<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Loaded) return;
      load().then(
        (c) => {
          loaded = c;
          setLoaded(() => c);
        },
        () => setFailed(true),
      );
    }, []);
    if (Loaded) return <Loaded {...props} />;
    if (fallback) return fallback(failed, what);
    return (
      <p class="hint" role="status">
        {failed ? `Could not load ${what}. Check your connection.` : `Loading ${what}…`}
      </p>
    );
  };
}

/** A dialog's fallback: nothing while it loads, a toast if it cannot. */
export const toast = (failed: boolean, what: string) =>
  failed ? (
    <p class="form-error toast" role="alert">
      {what} could not load. Check the connection and try again.
    </p>
  ) : null;
