// `npm run bench`: pages, the Amplify peer, Lambda bundles and the local stack under load; one table,
// also written to BENCHMARKS.md (see bench/run.ts for the knobs).
import { runBench } from '../bench/run';

runBench().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
