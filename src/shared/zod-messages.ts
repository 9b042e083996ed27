/**
 * Parlor's schemas use `zod/mini`, which carries no issue messages of its own ("Invalid
 * input" for everything). Loading zod's English locale gives the messages full zod gives
 * ("Too big: expected string to have <=200 characters") to the API's validation errors and
 * error frames: the Worker's entry (src/worker/index.ts, which also exports the Durable
 * Objects) imports this module once. The web client does not (1.1 KB of first-screen JS):
 * the fields its forms check before sending carry their own messages (api.ts: usernames,
 * passwords, email, sign-in), and anything else it would say comes from the server.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());
