// `npm run guard:replacements -- --base <dir|file>`: fails (exit 1) when the synthesized change in
// cdk.out would replace or remove the user pool or the table (ops/replacement-guard.ts).
import { runGuard } from '../ops/replacement-guard';

process.exitCode = runGuard(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
