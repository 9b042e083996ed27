/**
 * Fails the build when the client outgrows its budgets: the JS a first visit must load
 * (gzip), and the widget loader a host page loads. Measured as `npm run bench` measures them
 * (bench/budgets.mjs), right after `vite build`.
 */
import { measureBudgets } from '../bench/budgets.mjs';

const BUDGETS = [
  { name: 'first-screen JS (gzip)', limit: 60 * 1024, value: (m) => m.app?.jsGzipBytes },
  { name: 'widget loader (gzip)', limit: 5 * 1024, value: (m) => m.widgetLoader?.jsGzipBytes },
];

const measured = measureBudgets({ skipBuild: true });
let over = false;
for (const { name, limit, value } of BUDGETS) {
  const bytes = value(measured);
  if (bytes === undefined) {
    console.error(`budget: ${name}: nothing was built to measure`);
    over = true;
    continue;
  }
  const line = `budget: ${name} ${(bytes / 1024).toFixed(1)} KB of ${(limit / 1024).toFixed(0)} KB`;
  if (bytes > limit) {
    console.error(`${line}: OVER`);
    over = true;
  } else console.log(line);
}
process.exit(over ? 1 : 0);
