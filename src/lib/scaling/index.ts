/**
 * The scalability lab's engine (framework-free): traffic shapes, the served-model catalogue,
 * analytic queueing (Erlang C), the analytic per-minute day, the request-level simulation, the
 * Kubernetes HPA, model-count strategies (LRU under Zipf), reports and ready-made scenarios.
 * See each module's comment for formulas and sources.
 */

export * from './analytic-day';
export * from './erlang';
export * from './hpa';
export * from './model-count';
export * from './models';
export * from './percentiles';
export * from './report';
export * from './request-sim';
export * from './scenarios';
export * from './traffic';
export * from './uniform-stream';
