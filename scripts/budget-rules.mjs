// The client's size budgets and the verdict on a measurement, with no side effects, so
// tests/unit/budgets.test.ts can check that going over fails and that every budget is
// reported. scripts/check-budgets.mjs measures the build (bench/budgets.mjs) and applies them.

const KB = 1024;

export const BUDGETS = [
  { name: 'first-screen JS (gzip)', limit: 60 * KB, value: (m) => m.app?.jsGzipBytes },
  // What a host page loads for the widget: the launcher, before anyone opens it.
  { name: 'widget loader (gzip)', limit: 5 * KB, value: (m) => m.widgetLoader?.jsGzipBytes },
  // The panel: the embedded chat's own JS and CSS, everything /embed/<room> loads at once.
  {
    name: 'widget panel JS + CSS (gzip)',
    limit: 60 * KB,
    value: (m) =>
      m.widgetPage && (m.widgetPage.jsGzipBytes ?? 0) + (m.widgetPage.cssGzipBytes ?? 0),
  },
];

/**
 * @param {Record<string, any>} measured what bench/budgets.mjs measured
 * @returns {{ lines: string[], over: boolean }} one line per budget, and whether any failed
 */
export function judgeBudgets(measured) {
  const lines = [];
  let over = false;
  for (const { name, limit, value } of BUDGETS) {
    const bytes = value(measured);
    if (bytes === undefined) {
      lines.push(`budget: ${name}: nothing was built to measure`);
      over = true;
      continue;
    }
    const line = `budget: ${name} ${(bytes / KB).toFixed(1)} KB of ${(limit / KB).toFixed(0)} KB`;
    lines.push(bytes > limit ? `${line}: OVER` : line);
    if (bytes > limit) over = true;
  }
  return { lines, over };
}
