// Memory per Lambda function, chosen from what `npm run bench` measures (BENCHMARKS.md, "Lambda
// bundles"), not guessed.
//
// What was measured (2026-12-02, Node 20 on this machine): after module init, a handler's process
// holds 47-51 MB resident, Node's own ~40 MB included. So memory is not the constraint. What memory
// buys is CPU: Lambda gives CPU in proportion to memory (a full vCPU at 1,769 MB), and a cold start
// is almost all CPU (parsing and running a 260-400 KB bundle: 100-155 ms of CPU here). At M MB a cold
// start takes roughly that CPU time x 1769 / M: about 7x at 256 MB, 3.5x at 512 MB (an estimate from
// the documented CPU share, not a measurement in Lambda).
//
// - API functions: 512 MB. A person waits on their cold start; 512 halves it against 256. Warm, they
//   mostly wait on DynamoDB and Cognito, so the price per request rises by cents per 100,000 resets
//   (README, "Rough monthly cost").
// - The reset worker: 256 MB. Nobody waits on it: the email goes out seconds later either way.
// - The origin-verify authorizer: 128 MB. A bundle of a few hundred bytes, answered from API
//   Gateway's cache (ORIGIN_SECRET_CACHE_SECONDS).
import type { HandlerName } from './function-access';

export const API_FUNCTION_MEMORY_MB = 512;
export const WORKER_MEMORY_MB = 256;
export const AUTHORIZER_MEMORY_MB = 128;

export function functionMemoryMb(handler: HandlerName): number {
  return handler === 'password-reset-worker' ? WORKER_MEMORY_MB : API_FUNCTION_MEMORY_MB;
}
