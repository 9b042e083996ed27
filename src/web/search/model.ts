/** Search as signals: the query, the pages of results so far, and what went wrong. */
import { signal } from '@preact/signals';
import type { Http } from '../api/http';
import { ApiError } from '../api/http';
import { searchPage, type SearchHit } from '../../shared/search';

export function createSearch(http: Pick<Http, 'get'>) {
  const query = signal('');
  const results = signal<SearchHit[]>([]);
  const nextCursor = signal<string | null>(null);
  const loading = signal(false);
  const error = signal<string | null>(null);
  /** The query asked last; a slower answer to an older query is dropped. */
  let asked = '';
  /** The query `results` answer: until the answer to `asked` is in, an older one's. */
  let answered: string | null = null;
  /** The first page being fetched for `asked`, if any. */
  let pending: Promise<void> | null = null;

  async function fetchPage(q: string, cursor: string | null) {
    const params = new URLSearchParams({ q });
    if (cursor) params.set('cursor', cursor);
    return http.get(`/api/search?${params}`, searchPage);
  }

  async function run(q: string, cursor: string | null) {
    asked = q;
    loading.value = true;
    error.value = null;
    try {
      const page = await fetchPage(q, cursor);
      if (asked !== q) return;
      results.value = cursor ? [...results.peek(), ...page.results] : page.results;
      nextCursor.value = page.nextCursor;
      answered = q;
    } catch (err) {
      if (asked !== q) return;
      if (!cursor) results.value = [];
      nextCursor.value = null;
      answered = q;
      error.value =
        err instanceof ApiError && err.status === 400
          ? err.message
          : 'Search failed. Try again in a moment.';
    } finally {
      if (asked === q) loading.value = false;
    }
  }

  /** Searches for `q` from the newest match; an empty query clears the results. */
  function search(q: string): Promise<void> {
    query.value = q;
    // Asked already and not answered yet: the same answer serves.
    if (pending && asked === q) return pending;
    if (!q.trim()) {
      asked = answered = q;
      pending = null;
      results.value = [];
      nextCursor.value = null;
      error.value = null;
      loading.value = false;
      return Promise.resolve();
    }
    const done = run(q, null).finally(() => {
      if (pending === done) pending = null;
    });
    pending = done;
    return done;
  }

  return {
    query,
    results,
    nextCursor,
    loading,
    error,
    search,
    /**
     * The first result for `q`, once the answer to `q` is in (asked now if it was not yet):
     * never a result of another query. Null when `q` found nothing, failed, or another query
     * was asked before its answer came.
     */
    async firstResult(q: string): Promise<SearchHit | null> {
      if (asked !== q || answered !== q || pending) await search(q);
      return answered === q && asked === q ? (results.peek()[0] ?? null) : null;
    },
    /** The next (older) page. */
    more() {
      const cursor = nextCursor.peek();
      return cursor ? run(query.peek(), cursor) : Promise.resolve();
    },
  };
}

export type Search = ReturnType<typeof createSearch>;
