/**
 * One build, four entry points: the app (`index.html`), the embeddable widget
 * (`widget.html`), its account popup (`widget-account.html`) and the widget's loader, emitted as `widget.js` at a stable name so a
 * third-party page can include it with one script tag.
 */
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);

export default defineConfig({
  root: here('.'),
  plugins: [preact()],
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // Every es2022 browser follows <link rel="modulepreload"> itself; the polyfill, shared by
    // the four entries, would otherwise be a chunk of its own on the first screen.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: {
        app: here('index.html'),
        widget: here('widget.html'),
        // The widget's "Chat as your Parlor account" popup (src/web/handoff/main.ts).
        handoff: here('widget-account.html'),
        loader: here('widget/loader.ts'),
      },
      output: {
        // The small modules every entry's first screen shares (and what they import) in one
        // chunk: left to the default they were eight chunks of 0.2–1 KB, each a request and
        // its own gzip overhead (first-screen JS 59.8 → 58.7 KB, widget panel 57.3 → 56.6 KB).
        // The wire schemas both first screens parse with (protocol, user-ref, attention) and
        // the open profile card's signal (which brings the signals library in) belong here too:
        // as chunks of their own they cost another 1.4 KB on the app's first screen. So do
        // `lazy` and Vite's preload helper (which loads a lazy chunk's imports with it), which
        // both first screens use and would otherwise also split off. Not `ui/Dialog`: no first
        // screen opens a dialog, and in here it cost both first screens 0.4 KB (59.7 → 59.3 KB
        // for the app, 60.0 → 59.6 KB for the widget panel); it goes with the dialogs' chunks.
        codeSplitting: {
          groups: [
            {
              name: 'common',
              test: /(vite\/preload-helper\.js|src\/(shared\/(errors|limits|name-chars|profile|mentions|files|protocol|user-ref|attention)|web\/(ui\/(color|lazy)|profile\/card-state))\.tsx?)$/,
            },
          ],
        },
        entryFileNames: (chunk) =>
          chunk.name === 'loader' ? 'widget.js' : 'assets/[name]-[hash].js',
      },
    },
  },
});
