// e2e global setup: the local stack in a child process and one headless Chromium for the suite
// (test files connect to it, each test in a fresh browser context).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { type BrowserServer, chromium } from 'playwright-core';
import { loadTemplate } from '../../../local/iam/template-source';
import { BROWSER_IAM_CALLS } from '../../support/iam-calls';
import { CHROMIUM_FLAGS, requireChromium } from './chromium';

declare global {
  var __e2eStop: (() => Promise<void>) | undefined;
}

const ROOT = join(__dirname, '..', '..', '..');

function startStack(): Promise<{ child: ChildProcess; info: Record<string, unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'stack-child.ts')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', SUPPORT_ACCESS_IAM_CALL_LOG: BROWSER_IAM_CALLS },
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    // Room for building the Lambda bundles on a fresh clone of a busy 2-core machine.
    const timer = setTimeout(() => reject(new Error('the local stack did not start within 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`the local stack exited with code ${code} while starting`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      resolve({ child, info: JSON.parse(line) as Record<string, unknown> });
    });
  });
}

export default async function globalSetup(): Promise<void> {
  const executablePath = requireChromium();
  // Synthesizes the template whose IAM policies the stack enforces, if not cached yet: it can take
  // longer than the child's start is given.
  await loadTemplate();
  rmSync(BROWSER_IAM_CALLS, { force: true });
  mkdirSync(dirname(BROWSER_IAM_CALLS), { recursive: true });
  const [{ child, info }, browser] = await Promise.all([
    startStack(),
    chromium.launchServer({ executablePath, headless: true, args: CHROMIUM_FLAGS }) as Promise<BrowserServer>,
  ]);
  globalThis.__e2eStop = async () => {
    await browser.close();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin?.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
    child.stdout?.destroy();
  };
  process.env.E2E_STACK = JSON.stringify(info);
  process.env.E2E_BROWSER = browser.wsEndpoint();
}
