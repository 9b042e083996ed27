/**
 * A file's address for an `<img>` or a download link. The app's is the file's URL: its
 * session is a cookie, which the browser sends along. The widget's session is a token, which
 * an `<img>` or a link cannot send, so the widget fetches the file with it (`Authorization`)
 * and shows an object URL of the bytes. One fetch per file while anything shows it (a
 * thumbnail and its viewer share it); the object URL is revoked once nothing does. Other
 * files are fetched when their card is clicked, and saved (`saveFile`).
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { fileUrl } from '../../shared/files';

interface Fetched {
  users: number;
  url: Promise<string>;
}

const fetched = new Map<string, Fetched>();

/** File `id`'s bytes, asked for with the widget's token. */
async function fetchFile(id: string, token: string): Promise<Blob> {
  const res = await fetch(fileUrl(id), { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`The file could not be fetched (${res.status})`);
  return res.blob();
}

function acquire(id: string, token: string): Fetched {
  let entry = fetched.get(id);
  if (!entry) {
    const url = fetchFile(id, token).then((blob) => URL.createObjectURL(blob));
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

/**
 * The widget's download of file `id` (a link cannot send its token): the bytes fetched with
 * the token, then saved as `name` by a click on an `<a download>` of their object URL.
 */
export async function saveFile(id: string, name: string, token: string): Promise<void> {
  const url = URL.createObjectURL(await fetchFile(id, token));
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  // The download reads the URL after this task (revoked at once, Firefox's fails): a minute
  // is long enough for it to start, and the bytes are not kept after.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
