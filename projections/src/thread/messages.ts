import type { GlobalPosition } from '@palabre/event-store';
import type { BatchInfo } from '../runner.js';

/** What a projectors' thread starts with (its entry script may ask for more). */
export interface ProjectorThreadData {
  readonly databaseUrl: string;
  /** `RunnerOptions.origin`: the notices of this process's batches carry it. */
  readonly origin?: string;
  readonly batchSize?: number;
  /** `RunnerOptions.minBatchIntervalMs` (default 15). */
  readonly minBatchIntervalMs?: number;
}

/** From the main thread to the projectors' thread. */
export type ToProjectorThread =
  | { readonly type: 'waitFor'; readonly id: number; readonly position: GlobalPosition | null }
  | { readonly type: 'stop' };

/** From the projectors' thread to the main thread. */
export type FromProjectorThread =
  | { readonly type: 'batch'; readonly batch: BatchInfo }
  | { readonly type: 'error'; readonly projector: string; readonly message: string }
  | { readonly type: 'reached'; readonly id: number }
  | { readonly type: 'failed'; readonly message: string };
