CREATE TABLE `account_erasure_rooms` (
	`user_id` text NOT NULL,
	`room_id` text NOT NULL,
	`erased_at` integer,
	PRIMARY KEY(`user_id`, `room_id`)
);
--> statement-breakpoint
CREATE TABLE `account_erasures` (
	`user_id` text PRIMARY KEY NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `account_erasures_pending` ON `account_erasures` (`finished_at`,`started_at`);