// Talking to /api: JSON in and out, and one shape for every failure, so each page can say what
// happened and what to do next.

export interface ApiResult<T = Record<string, unknown>> {
  readonly ok: boolean;
  readonly status: number;
  readonly body: T & { error?: string; message?: string };
}

const NETWORK_MESSAGE = 'We could not reach the portal. Check your connection, then try again.';

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
    return { ok: false, status: 0, body: { error: 'network', message: NETWORK_MESSAGE } as ApiResult<T>['body'] };
  }
  let parsed: ApiResult<T>['body'];
  try {
    parsed = (await response.json()) as ApiResult<T>['body'];
  } catch {
    parsed = {
      error: 'bad_response',
      message: 'The portal answered in a way this page does not understand. Try again in a minute.',
    } as ApiResult<T>['body'];
  }
  return { ok: response.ok, status: response.status, body: parsed };
}
