-- Full-text search over messages (docs/architecture.md, "Search"). drizzle-kit cannot express
-- virtual tables, so this is a custom migration (`drizzle-kit generate --custom`).
--
-- `message_search` is an external-content FTS5 index keyed by the messages' rowid; it stores
-- no text of its own. Each row indexes two columns:
--   text   the message text (unicode61, diacritics folded: "cafe" finds "Café");
--   scope  tokens that let a filter run inside the index instead of row by row afterwards:
--          `p<hex 'public'>` (a room anyone signed in may read) or `u<hex user id>` for each
--          member of a DM, `r<hex room id>`, `a<hex author id>`, and the UTC year and month
--          sent (`y2026`, `m202612`, for before:/after:). Ids are hex-encoded so
--          that any id is exactly one token, and every scope token is a letter and hex digits,
--          which nobody types: a search for a word that is also a scope token would make FTS5
--          check that token's every row for the column (`pub`: 230 ms at 1,000,000 messages).
--          Queries only ever match user words against `text`.
-- A deleted message (deleted_at set) is not in the index; an edit replaces the indexed text.
-- Rows are kept in step by the triggers below, which see every insert and update the rooms'
-- D1 copies make (src/durable/d1-sync.ts).
CREATE VIEW `message_search_rows` AS
SELECT
  rowid AS doc,
  text,
  deleted_at,
  CASE
    WHEN substr(room_id, 1, 3) = 'dm:' THEN
      'u' || hex(substr(room_id, 4, instr(substr(room_id, 4), ':') - 1)) ||
      ' u' || hex(substr(room_id, 4 + instr(substr(room_id, 4), ':')))
    ELSE 'p' || hex('public')
  END || ' r' || hex(room_id) || ' a' || hex(author_id) ||
  ' y' || strftime('%Y', created_at / 1000, 'unixepoch') ||
  ' m' || strftime('%Y%m', created_at / 1000, 'unixepoch') AS scope
FROM messages;
--> statement-breakpoint
-- What the index holds: FTS5's 'rebuild' and 'integrity-check' read this.
CREATE VIEW `message_search_source` AS
SELECT doc, text, scope FROM message_search_rows WHERE deleted_at IS NULL;
--> statement-breakpoint
CREATE VIRTUAL TABLE `message_search` USING fts5(
  text,
  scope,
  content = 'message_search_source',
  content_rowid = 'doc',
  columnsize = 0,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `messages_search_insert` AFTER INSERT ON messages WHEN new.deleted_at IS NULL
BEGIN
  INSERT INTO message_search (rowid, text, scope)
  SELECT doc, text, scope FROM message_search_rows WHERE doc = new.rowid;
END;
--> statement-breakpoint
-- room_id and author_id never change, so the old scope is the current row's.
CREATE TRIGGER `messages_search_update` AFTER UPDATE OF text, deleted_at ON messages
BEGIN
  INSERT INTO message_search (message_search, rowid, text, scope)
  SELECT 'delete', old.rowid, old.text, scope FROM message_search_rows
  WHERE doc = old.rowid AND old.deleted_at IS NULL;
  INSERT INTO message_search (rowid, text, scope)
  SELECT doc, text, scope FROM message_search_rows
  WHERE doc = new.rowid AND new.deleted_at IS NULL;
END;
--> statement-breakpoint
-- Before, so that the row (and its scope) can still be read.
CREATE TRIGGER `messages_search_delete` BEFORE DELETE ON messages WHEN old.deleted_at IS NULL
BEGIN
  INSERT INTO message_search (message_search, rowid, text, scope)
  SELECT 'delete', old.rowid, old.text, scope FROM message_search_rows WHERE doc = old.rowid;
END;
--> statement-breakpoint
-- Backfill: every message already stored and not deleted.
INSERT INTO message_search (message_search) VALUES ('rebuild');
