// The local stack under load on loopback (autocannon): requests per second and latency of the two
// busiest endpoints, and for the reset request, proof that every queued email was delivered.
import autocannon from 'autocannon';
import type { LocalStack } from '../local/local-stack';
import { readInbox } from '../local/local-stack';

export interface LoadFigures {
  readonly endpoint: string;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Connection errors, timeouts and non-2xx answers together. */
  readonly errors: number;
  /** For the reset endpoint: emails the queue worker delivered for the accepted requests. */
  readonly emailsExpected?: number;
  readonly emailsDelivered?: number;
  readonly deadLetters?: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
}

async function fire(url: string, body: unknown, origin: string, options: LoadOptions) {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(body),
    connections: options.connections,
    duration: options.seconds,
  });
}

export async function loadResetRequests(stack: LocalStack, options: LoadOptions): Promise<LoadFigures> {
  const before = (await readInbox(stack.sesUrl)).length;
  const queuedBefore = stack.queue.stats();
  const result = await fire(
    `${stack.url}/api/password-reset`,
    { login: stack.bootstrapped.demo.username },
    stack.url,
    options,
  );
  // Every accepted request is a queued email (also those still in flight when autocannon stopped
  // counting): wait for the worker to drain, then compare the queue's deliveries with the inbox.
  await stack.queue.idle();
  const delivered = (await readInbox(stack.sesUrl)).length - before;
  const queued = stack.queue.stats();
  return {
    endpoint: 'POST /api/password-reset',
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    emailsExpected:
      queued.delivered - queuedBefore.delivered + queued.deadLetters.length - queuedBefore.deadLetters.length,
    emailsDelivered: delivered,
    deadLetters: queued.deadLetters.length - queuedBefore.deadLetters.length,
  };
}

export async function loadSignIn(stack: LocalStack, options: LoadOptions): Promise<LoadFigures> {
  const { username, password } = stack.bootstrapped.demo;
  const result = await fire(`${stack.url}/api/session`, { username, password }, stack.url, options);
  return {
    endpoint: 'POST /api/session',
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}
