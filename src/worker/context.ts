import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type * as schema from './db/schema';

export type Db = DrizzleD1Database<typeof schema>;
export type UserRow = typeof schema.users.$inferSelect;

export interface Claims {
  userId: string;
  sessionId: string;
}

/** What middleware puts on `c.var` for the handlers after it. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    db: Db;
    user: UserRow;
    sessionId: string;
    /**
     * The room of a widget session (a visitor's, a site user's, or an account's made for one
     * site), else null: its token sits in a host page's storage, so nothing private is
     * answered to it, and nothing of another chat (a file's route names no room).
     */
    widgetRoom: string | null;
    /** A verified token's subject and session id, before the session row is checked. */
    claims: Claims;
  };
}
