export interface StartPlan {
  /** The one port `wrangler dev` listens on. */
  port: number;
  /** Arguments for `wrangler` that apply the local D1 migrations. */
  migrate: string[];
  /** Arguments for `wrangler` that serve the app. */
  dev: string[];
}

/** What `npm start` runs for these arguments (after `--`) and environment, or why it cannot. */
export function startPlan(
  argv: string[],
  env: Record<string, string | undefined>,
): StartPlan | { error: string };
