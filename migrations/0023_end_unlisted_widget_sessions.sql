-- Widget sessions of a site taken off its room's list before removal ended them for good
-- (it only paused them: listing the site again revived them). End them now, as removal does.
-- The global room's list is configuration (GLOBAL_EMBED_ORIGINS), not rows: not touched here.
UPDATE `sessions` SET `revoked_at` = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE `embed_room_id` IS NOT NULL AND `embed_room_id` <> 'global' AND `revoked_at` IS NULL
  AND NOT EXISTS (
    SELECT 1 FROM `embed_origins` e
    WHERE e.`room_id` = `sessions`.`embed_room_id` AND e.`origin` = `sessions`.`embed_origin`
  );
