import { describe, expect, it } from 'vitest';
import { ApiProblem, NetworkError } from '../api/problem.js';
import { classifyFailure } from './console-outbox.js';

describe('what the console outbox does with a failure', () => {
  it.each([
    [new NetworkError('offline'), { retry: true, code: 'network' }],
    [new ApiProblem(503, 'http.503', ''), { retry: true, code: 'http.503' }],
    [new ApiProblem(429, 'rate.limited', ''), { retry: true, code: 'rate.limited' }],
    [new ApiProblem(401, 'auth.expired', ''), { retry: true, code: 'auth.expired' }],
    [new ApiProblem(409, 'ballot.concurrent', ''), { retry: true, code: 'ballot.concurrent' }],
    [new ApiProblem(409, 'ballot.paper_final', ''), { retry: false, code: 'ballot.paper_final' }],
    [new ApiProblem(403, 'ballot.out_of_scope', ''), { retry: false, code: 'ballot.out_of_scope' }],
    [new ApiProblem(400, 'validation.failed', ''), { retry: false, code: 'validation.failed' }],
    [new Error('QuotaExceededError'), { retry: true, code: 'unknown' }],
  ])('%s → %o', (error, expected) => {
    expect(classifyFailure(error)).toEqual(expected);
  });
});
