CREATE TABLE `pins` (
	`room_id` text NOT NULL,
	`seq` integer NOT NULL,
	`pinned_by` text NOT NULL,
	`pinned_at` integer NOT NULL,
	PRIMARY KEY(`room_id`, `seq`)
);
