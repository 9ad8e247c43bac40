/* barrel */ export {};
export { default as CourseOutline } from './course/CourseOutline.astro';
export { default as TrainingSandbox } from './sandboxes/training/TrainingSandbox.svelte';
