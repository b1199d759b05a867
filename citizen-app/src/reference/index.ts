export { ReferenceData, useReference, type Reference } from './reference.ts';
export { readCached, writeCached } from './cache.ts';
export { categoryIcon } from './icons.ts';
