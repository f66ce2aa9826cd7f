// Memory per Lambda function, chosen from what `npm run bench` measures (BENCHMARKS.md, "Lambda
// bundles"), not guessed.
//
// What was measured: after module init, a handler's process holds 48-58 MB resident (Node's own
// ~40 MB included), and a request adds a few small objects. So memory is not the constraint: even
// 128 MB leaves room. What memory buys is CPU: Lambda gives CPU in proportion to memory (a full vCPU
// at 1,769 MB), and a cold start is almost all CPU (parsing and running a 320-520 KB bundle; the
// bench measures its init on one full core). At M MB a cold start takes roughly that init time
// x 1769 / M: about 7x at 256 MB, 3.5x at 512 MB.
//
// - API functions: 512 MB. A person waits on their cold start; 512 halves it against 256. Warm, they
//   mostly wait on DynamoDB and Cognito, so the price per request rises by cents per 100,000 resets
//   (README, "Rough monthly cost").
// - The reset worker: 256 MB. Nobody waits on it: the email goes out seconds later either way.
// - The origin-verify authorizer: 128 MB. A bundle of a few hundred bytes, answered from API
//   Gateway's cache for an hour.
import type { HandlerName } from './function-access';

export const API_FUNCTION_MEMORY_MB = 512;
export const WORKER_MEMORY_MB = 256;
export const AUTHORIZER_MEMORY_MB = 128;

export function functionMemoryMb(handler: HandlerName): number {
  return handler === 'password-reset-worker' ? WORKER_MEMORY_MB : API_FUNCTION_MEMORY_MB;
}
