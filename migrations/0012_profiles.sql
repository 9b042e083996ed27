ALTER TABLE `users` ADD `profile` text;--> statement-breakpoint
ALTER TABLE `users` ADD `time_zone` text;--> statement-breakpoint
ALTER TABLE `users` ADD `read_receipts` integer DEFAULT true NOT NULL;