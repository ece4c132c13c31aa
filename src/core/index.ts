/**
 * The analyses: DOM-free, on tfjs, the same in Node (the kernel) and in the browser.
 */
export * from './errors';
export * from './layers';
export * from './geometry';
export * from './input';
export * from './analyses';
export * from './serialize';
export * from './maximize';
export * from './pwm';
export * from './json';
export * from './kerasConfig';
export * from './kerasWeights';
export * from './modelFormats';
export * from './modelBuild';
export * from './kerasFiles';
