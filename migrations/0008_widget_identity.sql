CREATE TABLE `room_identity_secrets` (
	`room_id` text PRIMARY KEY NOT NULL,
	`secret` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`room_id`) REFERENCES `rooms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `used_identity_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `used_identity_tokens_expiry` ON `used_identity_tokens` (`expires_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `identity_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_identity_key` ON `users` (`identity_key`);