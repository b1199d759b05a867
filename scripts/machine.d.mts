export type Found = { path: string; missing?: undefined } | { missing: string; path?: undefined };
export function findChromium(env?: NodeJS.ProcessEnv): Found;
export function findNginx(env?: NodeJS.ProcessEnv): Found;
export function required(found: Found): string;
