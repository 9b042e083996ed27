/**
 * Fails the build when the client outgrows its budgets (scripts/budget-rules.mjs): the JS a
 * first visit must load, the widget loader a host page loads (5 KB) and the widget's panel
 * (60 KB), all gzip. Measured as `npm run bench` measures them (bench/budgets.mjs), right
 * after `vite build`; every budget is reported, passing or not.
 */
import { measureBudgets } from '../bench/budgets.mjs';
import { judgeBudgets } from './budget-rules.mjs';

const { lines, over } = judgeBudgets(measureBudgets({ skipBuild: true }));
for (const line of lines)
  (line.endsWith('OVER') || line.includes('nothing') ? console.error : console.log)(line);
process.exit(over ? 1 : 0);
