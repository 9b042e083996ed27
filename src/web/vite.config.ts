/**
 * One build, three entry points: the app (`index.html`), the embeddable widget
 * (`widget.html`) and the widget's loader, emitted as `widget.js` at a stable name so a
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
    rolldownOptions: {
      input: {
        app: here('index.html'),
        widget: here('widget.html'),
        loader: here('widget/loader.ts'),
      },
      output: {
        entryFileNames: (chunk) =>
          chunk.name === 'loader' ? 'widget.js' : 'assets/[name]-[hash].js',
      },
    },
  },
});
