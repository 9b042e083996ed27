ALTER TABLE `sessions` ADD `embed_room_id` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `embed_origin` text;--> statement-breakpoint
ALTER TABLE `users` ADD `is_visitor` integer DEFAULT false NOT NULL;