/**
 * layout.css's breakpoints, asked in JS: in root-font units of the app's width, so they follow
 * the text size as well as the window (a media query's rem is the browser's default size, not
 * the root's, which is why the CSS uses container queries on #app).
 */
const appWider = (rem: number) => {
  const root = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const app = document.getElementById('app');
  return (app?.clientWidth ?? innerWidth) >= rem * root;
};

/** Sidebar and conversation side by side (below, one column at a time). */
export const twoColumns = () => appWider(48);

/** The people panel is a third column (below, a drawer over the page). */
export const threeColumns = () => appWider(73.33);
