/**
 * The course at a glance for the progress page: each lesson's status from the learner's progress,
 * and the next step. The lesson list is passed in (src/lib does not import components), so the
 * page reads it from the course outline and the exercises per lesson from the exercise files.
 */
import type { ProgressState } from './schema';

/** A lesson as the progress page lists it. */
export interface CourseLesson {
  /** The lesson's slug, as its page records it (`01-business-objectives`). */
  readonly slug: string;
  readonly title: string;
  /** Site-relative link, or null while the lesson is still being written. */
  readonly href: string | null;
}

/**
 * - `done`: opened and every exercise solved (or, for a lesson with exercises, all of them
 *   solved even if the visit was not recorded);
 * - `in-progress`: opened, or an exercise touched, but not done;
 * - `not-started`: nothing yet;
 * - `coming`: not written yet.
 */
export type LessonStatus = 'done' | 'in-progress' | 'not-started' | 'coming';

/** One lesson's line on the progress page. */
export interface LessonSummary extends CourseLesson {
  /** 1-based position in the course. */
  readonly number: number;
  readonly seen: boolean;
  readonly exercisesSolved: number;
  readonly exercisesTotal: number;
  readonly status: LessonStatus;
}

/** The course at a glance. */
export interface CourseSummary {
  readonly lessons: readonly LessonSummary[];
  /** The first written lesson that is not done, or null when every written lesson is done. */
  readonly nextStep: LessonSummary | null;
  /** Written lessons (with a link). */
  readonly lessonsAvailable: number;
  readonly lessonsDone: number;
  readonly exercisesSolved: number;
  readonly exercisesTotal: number;
}

/** A lesson's slug from its link: `/lessons/01-business-objectives/` → `01-business-objectives`. */
export function lessonSlugFromHref(href: string): string {
  const path = href.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Summarises the course for `state`: per lesson whether it was opened, how many of its exercises
 * (`exercisesByLesson[slug]`, exercise ids) are solved, and its {@link LessonStatus}; plus the
 * totals and the next step.
 */
export function summariseCourse(
  lessons: readonly CourseLesson[],
  exercisesByLesson: Readonly<Record<string, readonly string[]>>,
  state: ProgressState,
): CourseSummary {
  const summaries = lessons.map((lesson, index): LessonSummary => {
    const exerciseIds = Object.hasOwn(exercisesByLesson, lesson.slug)
      ? [...new Set(exercisesByLesson[lesson.slug])]
      : [];
    const exercises = exerciseIds.map((id) =>
      Object.hasOwn(state.exercises, id) ? state.exercises[id] : undefined,
    );
    const seen = Object.hasOwn(state.lessons, lesson.slug);
    const exercisesSolved = exercises.filter((e) => e?.solved === true).length;
    const exercisesTotal = exerciseIds.length;
    const touched = exercises.some((e) => e !== undefined);
    let status: LessonStatus;
    if (lesson.href === null) status = 'coming';
    else if (exercisesSolved === exercisesTotal && (seen || exercisesTotal > 0)) status = 'done';
    else if (seen || touched) status = 'in-progress';
    else status = 'not-started';
    return { ...lesson, number: index + 1, seen, exercisesSolved, exercisesTotal, status };
  });
  const available = summaries.filter((lesson) => lesson.href !== null);
  return {
    lessons: summaries,
    nextStep: available.find((lesson) => lesson.status !== 'done') ?? null,
    lessonsAvailable: available.length,
    lessonsDone: summaries.filter((lesson) => lesson.status === 'done').length,
    exercisesSolved: summaries.reduce((sum, lesson) => sum + lesson.exercisesSolved, 0),
    exercisesTotal: summaries.reduce((sum, lesson) => sum + lesson.exercisesTotal, 0),
  };
}
