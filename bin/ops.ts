// `npm run ops -- <command>`: credential requests and accounts (README: Credential requests).
import '../lib/quiet-sdk-notice';
import { runOps } from '../ops/cli';

runOps(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line) }).then((code) => {
  process.exitCode = code;
});
