// Starts the local AWS emulators on 127.0.0.1: dynalite (DynamoDB, in memory), aws-ses-v2-local
// (SESv2, in memory, with a web inbox) and cognito-local (a child process keeping its JSON files
// in the data folder it is given).
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import startSesServer from 'aws-ses-v2-local';

const HOST = '127.0.0.1';

export interface RunningEmulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

function endpointOf(server: Server): string {
  return `http://${HOST}:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

export async function startDynamo(): Promise<RunningEmulator> {
  // dynalite ships no types; its factory returns an http.Server.
  const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  return { endpoint: endpointOf(server), stop: () => closeServer(server) };
}

export async function startSes(): Promise<RunningEmulator> {
  const server = await startSesServer({ host: HOST, port: 0 });
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  return { endpoint: endpointOf(server), stop: () => closeServer(server) };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, HOST, () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await closeServer(probe);
  return port;
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`cognito-local exited with code ${child.exitCode} while starting`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`cognito-local did not answer at ${url} within ${timeoutMs} ms`);
}

export async function startCognito(dataDir: string): Promise<RunningEmulator> {
  mkdirSync(join(dataDir, '.cognito'), { recursive: true });
  // Usernames are plain names here (sign-in by email is resolved by the app), as in the AWS pool.
  writeFileSync(
    join(dataDir, '.cognito', 'config.json'),
    JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }, null, 2),
  );
  const port = await freePort();
  const log = createWriteStream(join(dataDir, 'cognito-local.log'));
  const child = spawn(process.execPath, [require.resolve('cognito-local/lib/bin/start.js')], {
    cwd: dataDir,
    env: { ...process.env, HOST, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  // If this process dies without stopping cleanly, do not leave the emulator behind.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  const endpoint = `http://${HOST}:${port}`;
  try {
    await waitForHttp(`${endpoint}/health`, child, 20_000);
  } catch (error) {
    killChild();
    throw error;
  }
  return {
    endpoint,
    stop: async () => {
      process.removeListener('exit', killChild);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      log.end();
    },
  };
}
