/** The client's size budgets (scripts/budget-rules.mjs). */
export const BUDGETS: {
  name: string;
  limit: number;
  value: (m: Record<string, any>) => number | undefined;
}[];

/** One line per budget (`…: OVER` past its limit), and whether any failed. */
export function judgeBudgets(measured: Record<string, any>): { lines: string[]; over: boolean };
