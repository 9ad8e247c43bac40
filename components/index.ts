/**
 * The one barrel that lessons import from: every component MDX content may use.
 */
export { default as CourseOutline } from './course/CourseOutline.astro';
export { default as TrainingSandbox } from './sandboxes/training/TrainingSandbox.astro';
// Sandboxes are exported as small .astro wrappers that render the Svelte island with
// client:visible: an island imported through this barrel directly would be hydrated from one
// chunk holding every Svelte component exported here, so every page would download every sandbox.
// Not here: ProgressOverview; the progress page imports its island directly.
export { default as Exercise } from './exercises/Exercise.astro';
export { default as ThresholdSandbox } from './sandboxes/threshold/ThresholdSandbox.astro';
export { default as ModelPairSandbox } from './sandboxes/model-pair/ModelPairSandbox.astro';
export { default as ReturnsSandbox } from './sandboxes/returns/ReturnsSandbox.astro';
export { default as RunRegistry } from './sandboxes/run-registry/RunRegistry.astro';
export { default as AbTestSandbox } from './sandboxes/ab-test/AbTestSandbox.astro';
export { default as TakeRateSandbox } from './sandboxes/take-rate/TakeRateSandbox.astro';
export { default as BatchOnlineSandbox } from './sandboxes/batch-online/BatchOnlineSandbox.astro';
export { default as AdClickSandbox } from './sandboxes/ads/AdClickSandbox.astro';
export { default as ModelCountSandbox } from './sandboxes/model-count/ModelCountSandbox.astro';
export { default as ScalingSandbox } from './sandboxes/scaling/ScalingSandbox.astro';
export { default as RolloutSandbox } from './sandboxes/rollout/RolloutSandbox.astro';
export { default as DriftMonitorSandbox } from './sandboxes/drift-monitor/DriftMonitorSandbox.astro';
export { default as PipelineBisectSandbox } from './sandboxes/pipeline-bisect/PipelineBisectSandbox.astro';
