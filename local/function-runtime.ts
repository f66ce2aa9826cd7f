// The local "Lambda": each function runs its built bundle (local/bundles.ts) in a worker thread of
// its own, with its own environment, as a Lambda container would. Its credentials name it
// (AWS_ACCESS_KEY_ID = the handler's name), so a proxy in front of an emulator can tell from the
// SigV4 Authorization header which function is calling.
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The secret every local function signs with; the access key id is what identifies it. */
export const LOCAL_SECRET_ACCESS_KEY = 'local';

/** The credentials a function runs with locally: the contract the emulator proxies rely on. */
export function localCredentials(functionName: string): { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string } {
  return { AWS_ACCESS_KEY_ID: functionName, AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY };
}

/** The function name a SigV4 Authorization header was signed for (its access key id), if any. */
export function callerOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}

export interface InvokeContext {
  readonly awsRequestId: string;
}

type WorkerReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'init-error'; readonly message: string; readonly stack?: string }
  | { readonly kind: 'result'; readonly id: number; readonly result: unknown }
  | { readonly kind: 'error'; readonly id: number; readonly message: string; readonly stack?: string };

/**
 * Runs in the worker: imports the bundle (its module init is the cold start), then answers one
 * message per invocation. Plain JavaScript, so it needs no TypeScript loader in the worker.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// The SDK's notice that its 2027 releases need Node 22: true here (Node 20), moot in Lambda (Node 24).
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) =>
  String(warning && warning.message || warning).startsWith('NodeVersionSupportWarning') ? undefined : emitWarning(warning, ...rest);
import(workerData.bundleUrl).then(
  (module) => {
    parentPort.on('message', ({ id, event, context }) => {
      Promise.resolve()
        .then(() => module.handler(event, { ...context, functionName: workerData.functionName }))
        .then(
          (result) => parentPort.postMessage({ kind: 'result', id, result }),
          (error) => parentPort.postMessage({ kind: 'error', id, message: String(error && error.message || error), stack: error && error.stack }),
        );
    });
    parentPort.postMessage({ kind: 'ready' });
  },
  (error) => parentPort.postMessage({ kind: 'init-error', message: String(error && error.message || error), stack: error && error.stack }),
);
`;

/** A function failed (threw, or could not start): Lambda would report it as a function error. */
export class FunctionError extends Error {
  constructor(
    readonly functionName: string,
    message: string,
    readonly remoteStack?: string,
  ) {
    super(`${functionName}: ${message}`);
    this.name = 'FunctionError';
  }
}

export class LocalFunction {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  constructor(
    readonly name: string,
    private readonly bundleFile: string,
    private readonly environment: Readonly<Record<string, string>>,
  ) {}

  /** Starts the worker and waits for the bundle's module init; a failing init rejects with its error. */
  async start(): Promise<void> {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env: { ...this.environment, ...localCredentials(this.name) },
      workerData: { bundleUrl: pathToFileURL(this.bundleFile).href, functionName: this.name },
    });
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'ready') resolve();
        else if (reply.kind === 'init-error') {
          reject(new FunctionError(this.name, `could not start: ${reply.message}`, reply.stack));
        } else {
          const call = this.pending.get(reply.id);
          this.pending.delete(reply.id);
          if (reply.kind === 'result') call?.resolve(reply.result);
          else call?.reject(new FunctionError(this.name, reply.message, reply.stack));
        }
      });
      worker.on('error', (error) => {
        reject(error);
        this.failAll(`crashed: ${error.message}`);
      });
      worker.on('exit', (code) => {
        reject(new FunctionError(this.name, `exited with code ${code} while starting`));
        this.failAll(`exited with code ${code}`);
      });
    });
  }

  invoke<T>(event: unknown, context: InvokeContext): Promise<T> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new FunctionError(this.name, 'is not started; call start() first'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, event, context });
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.failAll('was stopped');
  }

  private failAll(reason: string): void {
    for (const call of this.pending.values()) call.reject(new FunctionError(this.name, reason));
    this.pending.clear();
  }
}
