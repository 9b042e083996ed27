CREATE TABLE `do_not_disturb` (
	`user_id` text PRIMARY KEY NOT NULL,
	`until` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `here_mentions` (
	`room_id` text NOT NULL,
	`seq` integer NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`room_id`, `seq`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `notify_levels` (
	`user_id` text NOT NULL,
	`room_id` text NOT NULL,
	`level` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `room_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`room_id`) REFERENCES `rooms`(`id`) ON UPDATE no action ON DELETE no action
);
