ALTER TABLE `users` ADD `display_skeleton` text;--> statement-breakpoint
CREATE INDEX `users_display_skeleton` ON `users` (`display_skeleton`);