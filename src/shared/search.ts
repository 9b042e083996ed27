/**
 * `GET /api/search`: the query (with the filters a person may also type inside `q`), the
 * answer, and the one parser of the `q` syntax, shared by the Worker and the client.
 */
import * as z from 'zod/mini';
import { CHAT_KINDS } from './chat-kind';
import { userRef } from './protocol';

export const SEARCH_LIMITS = {
  /** Longest `q`, in characters. */
  queryChars: 200,
  /** Words (and quoted phrases) used from `q`; the rest are ignored. */
  terms: 12,
  /** Results per page: default and most. */
  pageDefault: 20,
  pageMax: 50,
  /** Characters of message text around the first match in a result's snippet. */
  snippetChars: 160,
} as const;

/**
 * The filters, as URL parameters or typed inside `q` as `name:value`. `mentions:me` is the
 * searcher; `mentions:name` anyone by username.
 */
export const SEARCH_FILTERS = ['in', 'from', 'mentions', 'before', 'after'] as const;
export type SearchFilter = (typeof SEARCH_FILTERS)[number];

/** Long enough for a group DM's id (`dm:` and 8 ids of up to 36 characters: src/shared/dm.ts). */
const filterValue = z.optional(z.string().check(z.maxLength(320)));

export const searchQuery = z.object({
  q: z._default(z.string().check(z.maxLength(SEARCH_LIMITS.queryChars)), ''),
  in: filterValue,
  from: filterValue,
  mentions: filterValue,
  before: filterValue,
  after: filterValue,
  cursor: z.optional(z.string().check(z.maxLength(40))),
  limit: z._default(
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(SEARCH_LIMITS.pageMax)),
    SEARCH_LIMITS.pageDefault,
  ),
});
export type SearchQuery = z.output<typeof searchQuery>;

/** A part of `q` to match: one word, or a quoted phrase (its words in order). */
export interface SearchTerm {
  text: string;
  phrase: boolean;
}

export interface ParsedSearchText {
  terms: SearchTerm[];
  filters: Partial<Record<SearchFilter, string>>;
  /** A filter typed twice: the request is refused naming it. */
  repeated: SearchFilter | null;
}

// `name:value`, `name:"a value"`, a quoted phrase, or a bare word.
const PART = /(\w+):"([^"]*)"?|(\w+):(\S*)|"([^"]*)"?|(\S+)/gu;

/**
 * Splits what a person typed into words, quoted phrases and `in:`/`from:`/`before:`/`after:`
 * filters (a value with spaces in double quotes: `in:"book club"`). Any other `name:` is an
 * ordinary word. Nothing here is search syntax for the database: the Worker turns each term
 * into quoted tokens, so no input can be an FTS5 operator.
 */
export function parseSearchText(q: string): ParsedSearchText {
  const terms: SearchTerm[] = [];
  const filters: ParsedSearchText['filters'] = {};
  let repeated: SearchFilter | null = null;
  for (const m of q.normalize('NFC').matchAll(PART)) {
    const name = (m[1] ?? m[3])?.toLowerCase();
    if (name && (SEARCH_FILTERS as readonly string[]).includes(name)) {
      const filter = name as SearchFilter;
      if (filters[filter] !== undefined) repeated ??= filter;
      filters[filter] = (m[2] ?? m[4] ?? '').trim();
    } else if (m[5] !== undefined) {
      if (m[5].trim()) terms.push({ text: m[5], phrase: true });
    } else {
      terms.push({ text: m[0], phrase: false });
    }
  }
  return { terms: terms.slice(0, SEARCH_LIMITS.terms), filters, repeated };
}

const range = z.object({ start: z.number(), end: z.number() });

/**
 * Part of a message's text around its first match. `highlights` are the matching words, as
 * offsets into `text` (UTF-16 code units, i.e. JavaScript string indices; end exclusive).
 */
export const searchSnippet = z.object({
  text: z.string(),
  highlights: z.array(range),
  /** Text was cut before / after the snippet. */
  cutStart: z.boolean(),
  cutEnd: z.boolean(),
});
export type SearchSnippet = z.output<typeof searchSnippet>;

export const searchHit = z.object({
  roomId: z.string(),
  /** The room's name, or the other person's for a DM. */
  roomName: z.string(),
  roomKind: z.enum(CHAT_KINDS),
  seq: z.number(),
  author: userRef,
  createdAt: z.number(),
  editedAt: z.nullable(z.number()),
  snippet: searchSnippet,
});
export type SearchHit = z.output<typeof searchHit>;

export const searchPage = z.object({
  results: z.array(searchHit),
  /** The `cursor` for the next (older) page; null on the last. */
  nextCursor: z.nullable(z.string()),
});
export type SearchPage = z.output<typeof searchPage>;
