-- A held name (name_holds, src/worker/account/name-hold.ts) may be taken only by the user who
-- gave it up until its release time. The Worker checks first to give a clear message; these
-- triggers are what holds when two requests race (the same role the unique indexes on
-- users.username_key and users.name_skeleton play for names in use). The message starts like a
-- unique violation's, so the Worker's one mapping turns it into 409 `username_taken`.
-- Now in ms: julianday, since unixepoch('subsec') needs SQLite 3.42.
CREATE TRIGGER `users_name_hold_insert` BEFORE INSERT ON `users`
WHEN EXISTS (
  SELECT 1 FROM `name_holds` h
  WHERE (h.name_key = NEW.username_key OR h.name_skeleton = NEW.name_skeleton)
    AND h.user_id != NEW.id
    AND h.release_at > CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
)
BEGIN
  SELECT RAISE(ABORT, 'UNIQUE constraint failed: name_holds.name_key (held)');
END;
--> statement-breakpoint
CREATE TRIGGER `users_name_hold_update` BEFORE UPDATE OF `username_key`, `name_skeleton` ON `users`
WHEN NEW.username_key != OLD.username_key AND EXISTS (
  SELECT 1 FROM `name_holds` h
  WHERE (h.name_key = NEW.username_key OR h.name_skeleton = NEW.name_skeleton)
    AND h.user_id != NEW.id
    AND h.release_at > CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
)
BEGIN
  SELECT RAISE(ABORT, 'UNIQUE constraint failed: name_holds.name_key (held)');
END;
