// Attribution while every handler runs in this one process and shares its SDK clients: the stack
// runs each invocation inside `asFunction(handler, ...)`, and outgoing SDK requests made inside it
// are re-labelled with that handler as the SigV4 access key id, which is what the proxies read.
// (When each function runs in its own runtime with AWS_ACCESS_KEY_ID = its handler name, the SDK
// signs with that key itself and this is not needed.) The signature no longer verifies; no
// emulator checks signatures.
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';

const current = new AsyncLocalStorage<string>();
let installed = false;

export function asFunction<T>(handler: string, run: () => Promise<T>): Promise<T> {
  return current.run(handler, run);
}

type HeaderBag = Record<string, string | string[] | number | undefined>;

function relabel(headers: HeaderBag | undefined, handler: string): void {
  if (!headers) return;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (name.toLowerCase() === 'authorization' && typeof value === 'string') {
      headers[name] = value.replace(/Credential=[^/,\s]+\//, `Credential=${handler}/`);
    }
  }
}

/**
 * Wraps node:http's request once. The SDK's Node handler reads `http.request` when a client makes
 * its first call, so this must run before any handler module is loaded.
 */
export function installInProcessCallers(): void {
  if (installed) return;
  installed = true;
  const original = http.request;
  const wrapped = ((...args: unknown[]) => {
    const handler = current.getStore();
    if (handler) {
      for (const arg of args) {
        if (arg && typeof arg === 'object' && !(arg instanceof URL) && 'headers' in arg) {
          relabel((arg as { headers?: HeaderBag }).headers, handler);
        }
      }
    }
    return (original as (...a: unknown[]) => http.ClientRequest)(...args);
  }) as typeof http.request;
  http.request = wrapped;
}
