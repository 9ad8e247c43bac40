// @ts-check
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import svelte from '@astrojs/svelte';
import { offline } from './build/offline-integration.ts';
import { rehypeScrollableTables } from './build/rehype-scrollable-tables.ts';

const componentsDir = fileURLToPath(new URL('./components', import.meta.url));
const libDir = fileURLToPath(new URL('./src/lib', import.meta.url));

// The tfjs packages are listed so Vite's dev server pre-bundles them up front;
// otherwise the first visit to a sandbox triggers a full reload.
const tfjsPackages = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgl',
  '@tensorflow/tfjs-backend-webgpu',
];

export default defineConfig({
  site: 'http://localhost:4321',
  // Lets two builds (e.g. two e2e runs in parallel while developing) use separate folders.
  outDir: process.env['MLSDL_OUT_DIR'] ?? './dist',
  // Every Markdown table of the lessons scrolls inside a focusable frame on narrow screens.
  markdown: { rehypePlugins: [rehypeScrollableTables] },
  integrations: [
    starlight({
      title: 'ML Systems Design Lab',
      description:
        'An interactive course on designing ML systems around business objectives, with models trained in your browser.',
      customCss: ['./src/styles/course.css'],
      sidebar: [
        { label: 'Start here', link: '/' },
        { label: 'Lessons', items: [{ autogenerate: { directory: 'lessons' } }] },
        { label: 'Your progress', link: '/progress/' },
        {
          label: 'For instructors',
          items: [
            { label: 'Build an assignment', link: '/instructors/build-assignment/' },
            { label: 'Dashboard', link: '/instructors/dashboard/' },
          ],
        },
      ],
      // Lesson pages record a visit with a few bytes of inline script (no progress store).
      components: {
        PageTitle: './components/course/PageTitle.astro',
        // The footer says whether the course is available offline.
        Footer: './components/course/Footer.astro',
      },
      // Lessons live in ./content/docs (reached through the src/content/docs symlink); Starlight
      // only applies asides and heading anchors to the directories it is told about.
      markdown: { processedDirs: ['./content/docs'] },
      lastUpdated: false,
      pagination: true,
    }),
    svelte(),
    // After Starlight, whose build hook writes the search index the service worker precaches.
    offline(),
  ],
  vite: {
    resolve: {
      alias: {
        '@components': componentsDir,
        '@lib': libDir,
      },
    },
    optimizeDeps: { include: tfjsPackages },
    worker: { format: 'es' },
  },
});
