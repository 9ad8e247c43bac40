/**
 * The one barrel that lessons import from: every component MDX content may use.
 */
export { default as CourseOutline } from './course/CourseOutline.astro';
export { default as TrainingSandbox } from './sandboxes/training/TrainingSandbox.svelte';
// Not here: ProgressOverview. Astro hydrates an island imported through this barrel from one
// chunk holding every Svelte component exported below, so each export is shipped to every page
// with an island. The progress page imports its island directly (@components/course/…).
export { default as Exercise } from './exercises/Exercise.astro';
export { default as ThresholdSandbox } from './sandboxes/threshold/ThresholdSandbox.svelte';
export { default as ModelPairSandbox } from './sandboxes/model-pair/ModelPairSandbox.svelte';
export { default as ReturnsSandbox } from './sandboxes/returns/ReturnsSandbox.svelte';
export { default as AbTestSandbox } from './sandboxes/ab-test/AbTestSandbox.svelte';
export { default as TakeRateSandbox } from './sandboxes/take-rate/TakeRateSandbox.svelte';
export { default as BatchOnlineSandbox } from './sandboxes/batch-online/BatchOnlineSandbox.svelte';
export { default as AdClickSandbox } from './sandboxes/ads/AdClickSandbox.svelte';
