// `npm run build:site`: builds the pages into dist/site with the portal's configured name and colour.
import { join } from 'node:path';
import { portalDefaults } from '../lambdas/definitions/portal';
import { buildSite } from '../lib/site-build';

const outDir = join(__dirname, '..', 'dist', 'site');
buildSite({
  outDir,
  portalName: process.env.PORTAL_NAME ?? portalDefaults.name,
  primaryColour: process.env.PRIMARY_COLOUR ?? portalDefaults.primaryColour,
});
console.log(`site built in ${outDir}`);
