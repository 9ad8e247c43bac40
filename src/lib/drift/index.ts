/**
 * The drift lab's statistics engine: two-sample tests and distances between a reference and
 * a current window (KS, chi-square, z-test, Wasserstein, Jensen–Shannon, PSI), Evidently's
 * default choice among them per column, and performance estimation without labels.
 */
export * from './binning';
export * from './chi-square';
export * from './gamma';
export * from './jensen-shannon';
export * from './kolmogorov';
export * from './ks';
export * from './monitor';
export * from './performance-estimate';
export * from './psi';
export * from './sample';
export * from './wasserstein';
export * from './z-test-binary';
