-- Prefix search: a typed word also finds the words that start with it (`mock` finds "mocks";
-- src/worker/search/match.ts). FTS5 answers a prefix query by reading the whole doclist of
-- every word under the prefix before it gives a first row, so a three-letter prefix of common
-- words (`the` under "the", "there", "then"…) read most of the index: 82 ms at 200,000
-- messages, against 0.1 ms for the word alone. `prefix = '3'` keeps a doclist per
-- three-letter prefix, so such a query reads like one word (0.2 ms there); longer prefixes
-- hold few words and are read as before (2–6 ms there). Prefixes of one or two letters are
-- never asked for.
-- The index is the same external-content table as 0005_search.sql (the views and triggers
-- stay as 0019_group_dm_search.sql left them; they name the table, not its options), with
-- the prefix index added: FTS5 options cannot be changed in place, so it is made again and
-- rebuilt from `message_search_source` (about 10 s at 1,000,000 messages, docs/architecture.md).
DROP TABLE `message_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `message_search` USING fts5(
  text,
  scope,
  content = 'message_search_source',
  content_rowid = 'doc',
  columnsize = 0,
  prefix = '3',
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO message_search (message_search) VALUES ('rebuild');
