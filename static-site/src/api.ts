// Talking to /api: JSON in and out, and one shape for every failure, so each page can say what
// happened and what to do next, in its own language (by the error code, never the API's English).
import type { ScriptKey } from './messages';
import { text } from './text';

export interface ApiResult<T = Record<string, unknown>> {
  readonly ok: boolean;
  readonly status: number;
  readonly body: T & { error?: string; message?: string; rules?: (string | { rule: string })[] };
  /** The server's clock minus this browser's, in ms, from the answer's Date header (0 without one). */
  readonly clockOffset?: number;
}

export async function callApi<T = Record<string, unknown>>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    return { ok: false, status: 0, body: { error: 'network' } as ApiResult<T>['body'] };
  }
  let parsed: ApiResult<T>['body'];
  try {
    parsed = (await response.json()) as ApiResult<T>['body'];
  } catch {
    parsed = { error: 'bad_response' } as ApiResult<T>['body'];
  }
  const serverDate = Date.parse(response.headers.get('date') ?? '');
  const clockOffset = Number.isNaN(serverDate) ? 0 : serverDate - Date.now();
  return { ok: response.ok, status: response.status, body: parsed, clockOffset };
}

/** What to tell the person about a failed call, in the page's language, chosen by the error code. */
export function errorText(result: ApiResult<unknown>): string {
  const key = `error.${result.body.error ?? 'unknown'}` as ScriptKey;
  return text[key] ?? text['error.unknown'];
}
