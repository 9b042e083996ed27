/**
 * The build's size gate (issue 10): the widget loader over 5 KB gzip or the panel over 60 KB
 * fails it, and every budget is reported either way.
 */
import { describe, expect, it } from 'vitest';
import { judgeBudgets } from '../../scripts/budget-rules.mjs';

const KB = 1024;
const within = {
  app: { jsGzipBytes: 50 * KB },
  widgetLoader: { jsGzipBytes: 3 * KB },
  widgetPage: { jsGzipBytes: 45 * KB, cssGzipBytes: 5 * KB },
};

describe('the size budgets', () => {
  it('pass a build within every budget and report all three', () => {
    expect(judgeBudgets(within)).toEqual({
      over: false,
      lines: [
        'budget: first-screen JS (gzip) 50.0 KB of 60 KB',
        'budget: widget loader (gzip) 3.0 KB of 5 KB',
        'budget: widget panel JS + CSS (gzip) 50.0 KB of 60 KB',
      ],
    });
  });

  it('fail a loader over 5 KB, and still report the others', () => {
    const { over, lines } = judgeBudgets({ ...within, widgetLoader: { jsGzipBytes: 5 * KB + 1 } });
    expect(over).toBe(true);
    expect(lines[1]).toBe('budget: widget loader (gzip) 5.0 KB of 5 KB: OVER');
    expect(lines).toHaveLength(3);
  });

  it('fail a panel whose JS and CSS together pass 60 KB', () => {
    const { over, lines } = judgeBudgets({
      ...within,
      widgetPage: { jsGzipBytes: 55 * KB, cssGzipBytes: 6 * KB },
    });
    expect(over).toBe(true);
    expect(lines[2]).toBe('budget: widget panel JS + CSS (gzip) 61.0 KB of 60 KB: OVER');
  });

  it('fail when the widget was not built at all', () => {
    const { over, lines } = judgeBudgets({ app: within.app });
    expect(over).toBe(true);
    expect(lines.slice(1)).toEqual([
      'budget: widget loader (gzip): nothing was built to measure',
      'budget: widget panel JS + CSS (gzip): nothing was built to measure',
    ]);
  });
});
