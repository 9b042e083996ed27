-- Visitors made before `visitor_site` existed: the site of their newest widget session.
UPDATE `users` SET `visitor_site` = (
  SELECT `embed_origin` FROM `sessions`
  WHERE `sessions`.`user_id` = `users`.`id` AND `embed_origin` IS NOT NULL
  ORDER BY `created_at` DESC LIMIT 1
) WHERE `is_visitor` = 1 AND `visitor_site` IS NULL;
