import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const docsDir = join(repoRoot, 'content', 'docs');
const lessonsDir = join(docsDir, 'lessons');

const chapterFile = '000_e622f15103b2bd2d.txt';
/** Where the chapter may live: beside the repository (the workspace layout) or inside it. */
const chapterCandidates = [
  process.env['COURSE_CHAPTER_PATH'],
  join(repoRoot, '..', 'shared', 'seeds', chapterFile),
  join(repoRoot, 'shared', 'seeds', chapterFile),
].filter((p): p is string => typeof p === 'string' && p.length > 0);
const chapterPath = chapterCandidates.find((p) => existsSync(p));

/** Length of the word run that counts as copying. */
const COPY_RUN_WORDS = 8;

/** Every .mdx file below `dir`, as absolute paths, sorted for stable test names. */
function listMdx(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listMdx(full));
    else if (entry.isFile() && entry.name.endsWith('.mdx')) out.push(full);
  }
  return out.sort();
}

/** Splits a file into its YAML frontmatter (without the fences) and its body. */
function splitFrontmatter(source: string): { frontmatter: string | null; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source);
  if (match === null) return { frontmatter: null, body: source };
  return { frontmatter: match[1] ?? '', body: source.slice(match[0].length) };
}

/** The top-level `title:` of a frontmatter block, unquoted, or null when absent or empty. */
function readTitle(frontmatter: string): string | null {
  const match = /^title:[ \t]*(.*)$/m.exec(frontmatter);
  const raw = match?.[1]?.trim() ?? '';
  const title = raw.replace(/^(['"])(.*)\1$/, '$2').trim();
  return title.length > 0 ? title : null;
}

/** `sidebar.order` from either block style (`sidebar:\n  order: 1`) or flow style (`sidebar: { order: 1 }`). */
function readSidebarOrder(frontmatter: string): number | null {
  const flow = /^sidebar:[ \t]*\{([^}]*)\}/m.exec(frontmatter);
  const flowOrder = flow?.[1] !== undefined ? /\border:\s*(-?\d+)/.exec(flow[1]) : null;
  if (flowOrder?.[1] !== undefined) return Number(flowOrder[1]);

  const lines = frontmatter.split(/\r?\n/);
  const start = lines.findIndex((line) => /^sidebar:\s*$/.test(line));
  if (start === -1) return null;
  for (const line of lines.slice(start + 1)) {
    if (!/^\s/.test(line)) break; // left the indented sidebar block
    const order = /^\s+order:\s*(-?\d+)\s*$/.exec(line);
    if (order?.[1] !== undefined) return Number(order[1]);
  }
  return null;
}

/**
 * Reduces text to lowercase words separated by single spaces: drops MDX imports, JSX/HTML tags,
 * link targets and code markers, removes apostrophes inside words, and turns every other
 * non-alphanumeric character into a space.
 */
function normalise(text: string): string {
  return text
    .replace(/^\s*(import|export)\s.*$/gm, ' ')
    .replace(/<[^>\n]*>/g, ' ')
    .replace(/\]\([^)\s]*\)/g, ']')
    .replace(/`+/g, ' ')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** All runs of `n` consecutive words in normalised text, joined by single spaces. */
function wordRuns(normalised: string, n: number): string[] {
  const words = normalised.split(' ').filter((w) => w.length > 0);
  const runs: string[] = [];
  for (let i = 0; i + n <= words.length; i++) runs.push(words.slice(i, i + n).join(' '));
  return runs;
}

const mdxFiles = listMdx(docsDir);
const rel = (file: string): string => relative(repoRoot, file).split(sep).join('/');

describe('content/docs pages', () => {
  it('finds the home page and at least one lesson', () => {
    expect(mdxFiles.map(rel)).toContain('content/docs/index.mdx');
    expect(mdxFiles.some((f) => f.startsWith(lessonsDir + sep))).toBe(true);
  });

  it.each(mdxFiles.map((f) => [rel(f), f] as const))(
    '%s has a title in its frontmatter',
    (_, file) => {
      const { frontmatter } = splitFrontmatter(readFileSync(file, 'utf8'));
      expect(frontmatter, 'missing frontmatter').not.toBeNull();
      expect(readTitle(frontmatter ?? ''), 'missing or empty title').not.toBeNull();
    },
  );

  const lessonFiles = mdxFiles.filter((f) => f.startsWith(lessonsDir + sep));
  it.each(lessonFiles.map((f) => [rel(f), f] as const))(
    '%s has a sidebar.order equal to its number prefix',
    (_, file) => {
      const prefix = /^(\d+)-/.exec(basename(file));
      expect(prefix, 'lesson file names start with a number, e.g. 01-topic.mdx').not.toBeNull();
      const { frontmatter } = splitFrontmatter(readFileSync(file, 'utf8'));
      const order = readSidebarOrder(frontmatter ?? '');
      expect(order, 'missing numeric sidebar.order').not.toBeNull();
      expect(order).toBe(Number(prefix?.[1]));
    },
  );
});

describe('no copying from the chapter', () => {
  it('normalises text the same way on both sides', () => {
    expect(normalise("We’ll **consider** the `MLOps` [stack](/x/) — don't")).toBe(
      'well consider the mlops stack dont',
    );
    expect(wordRuns('a b c', 2)).toEqual(['a b', 'b c']);
  });

  it.skipIf(chapterPath === undefined)(
    `no page repeats ${COPY_RUN_WORDS} consecutive words of the chapter`,
    () => {
      const chapter = readFileSync(chapterPath ?? '', 'utf8');
      const chapterRuns = new Set(wordRuns(normalise(chapter), COPY_RUN_WORDS));
      expect(chapterRuns.size).toBeGreaterThan(100);

      const copied: string[] = [];
      for (const file of mdxFiles) {
        const seen = new Set<string>();
        for (const run of wordRuns(normalise(readFileSync(file, 'utf8')), COPY_RUN_WORDS)) {
          if (chapterRuns.has(run) && !seen.has(run)) {
            seen.add(run);
            copied.push(`${rel(file)}: "${run}"`);
          }
        }
      }
      expect(copied, `runs of ${COPY_RUN_WORDS} words copied from the chapter`).toEqual([]);
    },
  );
});
