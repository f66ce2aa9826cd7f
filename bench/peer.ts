// The peer: bench/amplify-peer (Amplify UI's <Authenticator> with Vite), installed from its own
// lock file and built on demand into bench/amplify-peer/dist. Nothing of it is committed or shipped.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PEER_DIR = join(__dirname, 'amplify-peer');

export function buildPeer(log: (line: string) => void): { dist: string; versions: string } {
  if (!existsSync(join(PEER_DIR, 'node_modules', '.package-lock.json'))) {
    log('installing the Amplify peer (npm ci in bench/amplify-peer)…');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEER_DIR, stdio: 'inherit' });
  }
  log('building the Amplify peer with Vite…');
  execFileSync('npm', ['run', 'build', '--silent', '--', '--logLevel', 'error'], { cwd: PEER_DIR, stdio: 'inherit' });
  const dependencies = (JSON.parse(readFileSync(join(PEER_DIR, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  }) ?? { dependencies: {}, devDependencies: {} };
  const all = { ...dependencies.dependencies, ...dependencies.devDependencies };
  const versions = ['@aws-amplify/ui-react', 'aws-amplify', 'react', 'vite']
    .map((name) => `${name} ${all[name] ?? '?'}`)
    .join(', ');
  return { dist: join(PEER_DIR, 'dist'), versions };
}
