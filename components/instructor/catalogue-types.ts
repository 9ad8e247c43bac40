/**
 * The course's exercises as the instructor tools show them: grouped by lesson, in the order the
 * lesson shows them, with titles and links. Plain data, made at build time (`catalogue.ts`) and
 * handed to the islands as props.
 */

/** One exercise in the catalogue. */
export interface CatalogueExercise {
  id: string;
  title: string;
  summary: string;
  /** Link to the exercise on its lesson page (its heading's anchor). */
  href: string;
  /** Whether a class code changes its numbers (it declares parameters). */
  hasVariants: boolean;
}

/** One lesson with its exercises. */
export interface CatalogueLesson {
  /** `05-realistic-returns`. */
  slug: string;
  /** Lesson number in teaching order. */
  number: number;
  title: string;
  href: string;
  exercises: CatalogueExercise[];
}

/** Every exercise by id, with its lesson's number and title. */
export function exerciseIndex(
  catalogue: readonly CatalogueLesson[],
): Map<string, CatalogueExercise & { lesson: CatalogueLesson }> {
  return new Map(
    catalogue.flatMap((lesson) =>
      lesson.exercises.map((exercise) => [exercise.id, { ...exercise, lesson }] as const),
    ),
  );
}
