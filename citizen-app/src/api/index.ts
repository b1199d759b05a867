export { ApiClient, type CitizenAction } from './client.ts';
export { CitizenSession } from './session.ts';
export { ApiError, NetworkError } from './errors.ts';
export { randomId } from './random-id.ts';
export type * from './types.ts';
