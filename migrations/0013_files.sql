CREATE TABLE `file_upload_days` (
	`user_id` text NOT NULL,
	`day` integer NOT NULL,
	`bytes` integer NOT NULL,
	PRIMARY KEY(`user_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `files` (
	`id` text PRIMARY KEY NOT NULL,
	`room_id` text NOT NULL,
	`uploader_id` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`size` integer NOT NULL,
	`width` integer,
	`height` integer,
	`created_at` integer NOT NULL,
	`message_client_id` text,
	`position` integer
);
--> statement-breakpoint
CREATE INDEX `files_message` ON `files` (`room_id`,`uploader_id`,`message_client_id`);--> statement-breakpoint
CREATE INDEX `files_uploader` ON `files` (`uploader_id`,`created_at`);