/**
 * Parlor's schemas use `zod/mini`, which carries no issue messages of its own ("Invalid
 * input" for everything). Loading zod's English locale keeps the messages full zod gives
 * ("Too big: expected string to have <=200 characters"), which the API's validation errors
 * and the client's forms show. Every module here that builds schemas imports this one.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());
