// Where the browser suite's local stack records each function's AWS calls (JSON lines), so the
// integration suite's least-privilege check can count them in the same run.
import { join } from 'node:path';

export const BROWSER_IAM_CALLS = join(__dirname, '..', '..', '.local', 'iam-calls', 'e2e.jsonl');
