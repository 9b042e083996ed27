-- Group DMs (ids `dm:<a>:<b>:<c>…`, 3–8 sorted user ids): each member gets a `u<hex id>`
-- scope token, as each of a pair's two members does (0005_search.sql), so every member
-- finds the group's messages and nobody else's search reaches them. A pair's scope is
-- computed exactly as before (FTS5's 'delete' must be given what was indexed), so rows
-- already in the index stay valid and need no rebuild; no group existed before this.
DROP VIEW `message_search_source`;
--> statement-breakpoint
DROP VIEW `message_search_rows`;
--> statement-breakpoint
CREATE VIEW `message_search_rows` AS
SELECT
  rowid AS doc,
  text,
  deleted_at,
  CASE
    WHEN substr(room_id, 1, 3) = 'dm:' AND room_id NOT LIKE 'dm:%:%:%' THEN
      'u' || hex(substr(room_id, 4, instr(substr(room_id, 4), ':') - 1)) ||
      ' u' || hex(substr(room_id, 4 + instr(substr(room_id, 4), ':')))
    WHEN substr(room_id, 1, 3) = 'dm:' THEN
      (WITH RECURSIVE ids(id, rest) AS (
         SELECT '', substr(room_id, 4) || ':'
         UNION ALL
         SELECT substr(rest, 1, instr(rest, ':') - 1), substr(rest, instr(rest, ':') + 1)
         FROM ids WHERE rest != '')
       SELECT group_concat('u' || hex(id), ' ') FROM ids WHERE id != '')
    ELSE 'p' || hex('public')
  END || ' r' || hex(room_id) || ' a' || hex(author_id) ||
  ' y' || strftime('%Y', created_at / 1000, 'unixepoch') ||
  ' m' || strftime('%Y%m', created_at / 1000, 'unixepoch') AS scope
FROM messages;
--> statement-breakpoint
CREATE VIEW `message_search_source` AS
SELECT doc, text, scope FROM message_search_rows WHERE deleted_at IS NULL;
