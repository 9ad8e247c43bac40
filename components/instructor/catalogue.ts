/**
 * Builds the instructor tools' catalogue at build time: every exercise of the course (from
 * content/exercises, through the registry), grouped by lesson in teaching order with the titles
 * of the course outline, and within a lesson in the order its `<Exercise id="…" />` tags appear.
 * Only pages (MDX, Astro) import this module; islands get the result as props.
 */
import { courseOutline } from '../course/outline';
import { allExercises } from '../exercises/registry';
import type { CatalogueLesson } from './catalogue-types';

const lessonSources = import.meta.glob<string>('/content/docs/lessons/*.mdx', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** Where each exercise tag sits in its lesson's source (−1 when the lesson does not show it). */
function positionInLesson(slug: string, id: string): number {
  const source = lessonSources[`/content/docs/lessons/${slug}.mdx`] ?? '';
  return source.search(new RegExp(`<Exercise\\s+id=["']${id}["']`));
}

/** The catalogue: lessons that have exercises, each with its exercises; see the module comment. */
export function courseCatalogue(): CatalogueLesson[] {
  const base = import.meta.env.BASE_URL.replace(/\/$/, '');
  const lessons = new Map<string, CatalogueLesson>();
  for (const exercise of Object.values(allExercises())) {
    const slug = exercise.lesson.replace(/^lessons\//, '');
    const href = `${base}/lessons/${slug}/`;
    const number = Number.parseInt(slug, 10);
    const outline = courseOutline.find((lesson) => lesson.number === number);
    const lesson = lessons.get(slug) ?? {
      slug,
      number,
      title: outline?.title ?? slug,
      href,
      exercises: [],
    };
    lesson.exercises.push({
      id: exercise.id,
      title: exercise.title,
      summary: exercise.summary,
      // The exercise panel's heading carries this id (ExercisePanel.svelte).
      href: `${href}#exercise-${exercise.id}-title`,
      hasVariants: Object.keys(exercise.params ?? {}).length > 0,
    });
    lessons.set(slug, lesson);
  }
  for (const lesson of lessons.values()) {
    lesson.exercises.sort(
      (a, b) =>
        positionInLesson(lesson.slug, a.id) - positionInLesson(lesson.slug, b.id) ||
        a.id.localeCompare(b.id),
    );
  }
  return [...lessons.values()].sort((a, b) => a.number - b.number);
}
