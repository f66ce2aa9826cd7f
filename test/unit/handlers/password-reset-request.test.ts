import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../../lambdas/handlers/password-reset-request';
import { apiEvent, parseBody } from '../../support/events';

const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  sqs.reset();
  dynamo.reset();
  dynamo.on(UpdateCommand).resolves({ Attributes: { count: 1 } });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
});

const post = (options: Parameters<typeof apiEvent>[2]) => handler(apiEvent('POST', '/api/password-reset', options));

describe('POST /api/password-reset', () => {
  it('answers 202 with the same headers and body for any login, and queues it', async () => {
    const known = await post({ body: { login: 'demo' } });
    const unknown = await post({ body: { login: 'nobody@example.com' } });
    expect(known.statusCode).toBe(202);
    expect(unknown).toEqual(known);
    expect(parseBody(known).message).toMatch(/^If an account matches/);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 2);
    const message = JSON.parse(sqs.commandCalls(SendMessageCommand)[1]?.args[0].input.MessageBody ?? '{}');
    expect(message).toMatchObject({ v: 1, login: 'nobody@example.com', sourceIp: '203.0.113.7' });
  });

  it.each([
    ['not JSON', { rawBody: '{"login":' }, 400, 'invalid_json'],
    ['a missing login', { body: {} }, 400, 'invalid_request'],
    ['a wrong type', { body: { login: 42 } }, 400, 'invalid_request'],
    ['an extra field', { body: { login: 'demo', admin: true } }, 400, 'invalid_request'],
    ['an empty login', { body: { login: '   ' } }, 400, 'invalid_request'],
    ['a CR/LF in the login', { body: { login: 'demo\r\nBcc: x@example.com' } }, 400, 'invalid_request'],
    ['markup in the login', { body: { login: '<script>@example.com' } }, 400, 'invalid_request'],
    [
      'a form body',
      { rawBody: 'login=demo', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'unsupported_media_type',
    ],
    ['a huge body', { body: { login: 'a'.repeat(5000) } }, 413, 'payload_too_large'],
    [
      'invalid UTF-8',
      { rawBody: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'), isBase64Encoded: true },
      400,
      'invalid_encoding',
    ],
    [
      'a foreign Origin',
      { body: { login: 'demo' }, headers: { 'content-type': 'application/json', origin: 'https://evil.example' } },
      403,
      'forbidden_origin',
    ],
  ])('refuses %s with a clear %i and queues nothing', async (_name, options, status, code) => {
    const response = await post(options);
    expect(response.statusCode).toBe(status);
    const body = parseBody(response);
    expect(body.error).toBe(code);
    expect(typeof body.message).toBe('string');
    expect(String(body.message).length).toBeGreaterThan(10);
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
  });

  it('accepts the same origin', async () => {
    const response = await post({
      body: { login: 'demo' },
      headers: { 'content-type': 'application/json; charset=utf-8', origin: 'https://support.example.com' },
    });
    expect(response.statusCode).toBe(202);
  });

  it('answers 503 with Retry-After when the queue fails, so no request is silently dropped', async () => {
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Service Unavailable'), { $metadata: {} }));
    const response = await post({ body: { login: 'demo' } });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(parseBody(response)).toMatchObject({ error: 'temporarily_unavailable' });
    expect(response.body).not.toContain('Service Unavailable');
  });

  it('answers 429 with Retry-After past the per-IP limit, without queueing', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { count: 11 } });
    const response = await post({ body: { login: 'demo' } });
    expect(response.statusCode).toBe(429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(parseBody(response)).toMatchObject({ error: 'rate_limited' });
    expect(String(parseBody(response).message)).toMatch(/Wait \d+ minutes?/);
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
  });

  it('counts requests by the viewer address CloudFront reports, not by the edge', async () => {
    await post({
      body: { login: 'demo' },
      headers: { 'content-type': 'application/json', 'cloudfront-viewer-address': '198.51.100.9:51234' },
    });
    await post({ body: { login: 'demo' }, sourceIp: '198.51.100.9' });
    const keys = dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input.Key?.pk);
    expect(keys[0]).toBe(keys[1]);
    const queued = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? '{}');
    expect(queued.sourceIp).toBe('198.51.100.9');
  });

  it('sends the security headers on every answer', async () => {
    for (const response of [await post({ body: { login: 'demo' } }), await post({ rawBody: 'x' })]) {
      expect(response.headers).toMatchObject({
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-type': 'application/json; charset=utf-8',
      });
    }
  });
});
