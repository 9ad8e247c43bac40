/**
 * The one barrel that lessons import from: every component MDX content may use.
 */
export { default as CourseOutline } from './course/CourseOutline.astro';
export { default as TrainingSandbox } from './sandboxes/training/TrainingSandbox.svelte';
