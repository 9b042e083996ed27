CREATE TABLE `room_bans` (
	`room_id` text NOT NULL,
	`user_id` text NOT NULL,
	`banned_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`room_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `room_invites` (
	`id` text PRIMARY KEY NOT NULL,
	`room_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`max_uses` integer NOT NULL,
	`uses` integer DEFAULT 0 NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `room_invites_token` ON `room_invites` (`token_hash`);--> statement-breakpoint
CREATE INDEX `room_invites_room` ON `room_invites` (`room_id`);--> statement-breakpoint
CREATE TABLE `room_notices` (
	`room_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text,
	`subject_id` text,
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`room_id`, `seq`)
);
--> statement-breakpoint
ALTER TABLE `memberships` ADD `role` text DEFAULT 'member' NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `removed_by` text;--> statement-breakpoint
ALTER TABLE `rooms` ADD `owner_id` text;--> statement-breakpoint
ALTER TABLE `rooms` ADD `description` text;--> statement-breakpoint
ALTER TABLE `rooms` ADD `is_private` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `rooms` ADD `archived_at` integer;--> statement-breakpoint
ALTER TABLE `rooms` ADD `slow_mode_seconds` integer DEFAULT 0 NOT NULL;