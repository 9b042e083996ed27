CREATE TABLE `rate_buckets` (
	`key` text PRIMARY KEY NOT NULL,
	`tokens` real NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `rooms` ADD `name_skeleton` text;--> statement-breakpoint
CREATE UNIQUE INDEX `rooms_name_skeleton` ON `rooms` (`name_skeleton`);--> statement-breakpoint
CREATE INDEX `rooms_created_by` ON `rooms` (`created_by`,`created_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `name_skeleton` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_name_skeleton` ON `users` (`name_skeleton`);