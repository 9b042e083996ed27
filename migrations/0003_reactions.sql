CREATE TABLE `reactions` (
	`room_id` text NOT NULL,
	`seq` integer NOT NULL,
	`emoji` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`room_id`, `seq`, `emoji`, `user_id`)
);
