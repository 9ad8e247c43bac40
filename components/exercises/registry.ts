/**
 * Every exercise of the course, read from content/exercises/*.yaml when the site is built. A
 * broken file fails the build here, with a message naming the file, the field and what was
 * expected (see src/lib/exercises/load.ts). Only Astro components import this module: the
 * browser receives each exercise as plain data in an island's props.
 */
import { parseExerciseFile } from '../../src/lib/exercises/load';
import type { Exercise } from '../../src/lib/exercises/schema';

const files = import.meta.glob<string>('/content/exercises/*.yaml', {
  query: '?raw',
  import: 'default',
  eager: true,
});

const exercises: Map<string, Exercise> = new Map(
  Object.entries(files).map(([path, text]) => {
    const exercise = parseExerciseFile(path.replace(/^\//, ''), text);
    return [exercise.id, exercise];
  }),
);

/** The exercise with this id; throws (failing the build) when there is none. */
export function getExercise(id: string): Exercise {
  const exercise = exercises.get(id);
  if (!exercise) {
    const known = [...exercises.keys()].sort().join(', ') || 'none';
    throw new Error(
      `<Exercise id="${id}" />: no file content/exercises/${id}.yaml (known: ${known})`,
    );
  }
  return exercise;
}

/**
 * Exercise ids by lesson slug (`02-ml-vs-business-metrics`, the form progress uses), in file
 * order, for progress summaries.
 */
export function exerciseIdsByLesson(): Record<string, string[]> {
  const byLesson: Record<string, string[]> = {};
  for (const exercise of exercises.values()) {
    const slug = exercise.lesson.replace(/^lessons\//, '');
    (byLesson[slug] ??= []).push(exercise.id);
  }
  return byLesson;
}

/** Every exercise by id (plain data), for pages that check receipts. */
export function allExercises(): Record<string, Exercise> {
  return Object.fromEntries(exercises);
}
