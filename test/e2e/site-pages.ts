/** The pages of the built site, shared by the specs that sweep every page. */
import { readFileSync } from 'node:fs';

/** Every page of the built site, from the sitemap Astro writes (plus the 404 page). */
export function builtPages(): string[] {
  const outDir = (process.env['MLSDL_OUT_DIR'] ?? 'dist').replace(/^\.\//, '');
  const sitemap = readFileSync(new URL(`../../${outDir}/sitemap-0.xml`, import.meta.url), 'utf8');
  const paths = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map(
    (match) => new URL(match[1] ?? '/').pathname,
  );
  return [...paths, '/404.html'];
}
