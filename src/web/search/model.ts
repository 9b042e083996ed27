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
  /** The query the results are for; a slower answer to an older query is dropped. */
  let asked = '';

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
    } catch (err) {
      if (asked !== q) return;
      if (!cursor) results.value = [];
      nextCursor.value = null;
      error.value =
        err instanceof ApiError && err.status === 400
          ? err.message
          : 'Search failed. Try again in a moment.';
    } finally {
      if (asked === q) loading.value = false;
    }
  }

  return {
    query,
    results,
    nextCursor,
    loading,
    error,
    /** Searches for `q` from the newest match; an empty query clears the results. */
    search(q: string) {
      query.value = q;
      if (!q.trim()) {
        asked = '';
        results.value = [];
        nextCursor.value = null;
        error.value = null;
        loading.value = false;
        return Promise.resolve();
      }
      return run(q, null);
    },
    /** The next (older) page. */
    more() {
      const cursor = nextCursor.peek();
      return cursor ? run(query.peek(), cursor) : Promise.resolve();
    },
  };
}

export type Search = ReturnType<typeof createSearch>;
