// `npm run screenshots`: every page and both emails, from a fresh local stack, into docs/screenshots/.
import { takeScreenshots } from '../test/e2e/support/screenshots';

takeScreenshots().then(
  (files) => {
    console.log(`${files.length} screenshots in docs/screenshots/`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(`screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
