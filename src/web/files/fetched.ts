/**
 * A file's address for an `<img>` or a download link. The app's is the file's URL: its
 * session is a cookie, which the browser sends along. The widget's session is a token, which
 * an `<img>` cannot send, so the widget fetches the file with it (`Authorization`) and shows
 * an object URL of the bytes. One fetch per file while anything shows it (a thumbnail and its
 * viewer share it); the object URL is revoked once nothing does.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { fileUrl } from '../../shared/files';

interface Fetched {
  users: number;
  url: Promise<string>;
}

const fetched = new Map<string, Fetched>();

function acquire(id: string, token: string): Fetched {
  let entry = fetched.get(id);
  if (!entry) {
    const url = fetch(fileUrl(id), { headers: { authorization: `Bearer ${token}` } }).then(
      async (res) => {
        if (!res.ok) throw new Error(`The file could not be fetched (${res.status})`);
        return URL.createObjectURL(await res.blob());
      },
    );
    entry = { users: 0, url };
    fetched.set(id, entry);
    // A failed fetch is not kept: the next thing to show the file asks again.
    url.catch(() => fetched.get(id) === entry && fetched.delete(id));
  }
  entry.users += 1;
  return entry;
}

function release(id: string, entry: Fetched) {
  entry.users -= 1;
  if (entry.users > 0) return;
  if (fetched.get(id) === entry) fetched.delete(id);
  entry.url.then(URL.revokeObjectURL, () => {});
}

/**
 * Where to load file `id` from, once `wanted` (a thumbnail near the screen): its URL at once
 * without a token; with one, an object URL once fetched. `failed` when that fetch fails.
 */
export function useFileSource(id: string, token: string | null, wanted = true) {
  const url = useSignal<string | null>(token ? null : fileUrl(id));
  const failed = useSignal(false);
  useEffect(() => {
    if (!token || !wanted) return;
    const entry = acquire(id, token);
    let current = true;
    entry.url.then(
      (u) => current && (url.value = u),
      () => current && (failed.value = true),
    );
    return () => {
      current = false;
      release(id, entry);
    };
  }, [id, token, wanted]);
  return { url: url.value, failed: failed.value };
}
