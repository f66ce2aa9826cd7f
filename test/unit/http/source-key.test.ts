import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { handler } from '../../../lambdas/handlers/password-reset-request';
import { sourceKey } from '../../../lambdas/http/request';
import { apiEvent } from '../../support/events';

const hextet = fc.integer({ min: 0, max: 0xffff });
const groups = fc.array(hextet, { minLength: 8, maxLength: 8 });

/** Writes the groups the way a client might: full, zero-padded, or with the longest zero run as "::". */
function write(gs: number[], style: 'full' | 'padded' | 'compressed'): string {
  const hex = gs.map((g) => (style === 'padded' ? g.toString(16).padStart(4, '0') : g.toString(16)));
  if (style !== 'compressed') return hex.join(':');
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (gs[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && gs[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  if (best.length < 2) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

describe('sourceKey: what a per-source limit counts', () => {
  it('counts every address of one IPv6 /64 as one source, however it is written', () => {
    fc.assert(
      fc.property(
        groups,
        fc.array(hextet, { minLength: 4, maxLength: 4 }),
        fc.constantFrom('full', 'padded', 'compressed'),
        fc.constantFrom('full', 'padded', 'compressed'),
        (a, otherHost, styleA, styleB) => {
          const b = [...a.slice(0, 4), ...otherHost];
          const keyA = sourceKey(write(a, styleA as 'full'));
          expect(sourceKey(write(b, styleB as 'full'))).toBe(keyA);
          expect(sourceKey(write(a, styleB as 'full').toUpperCase())).toBe(keyA);
          expect(keyA).toMatch(/^[0-9a-f]{1,4}(:[0-9a-f]{1,4}){3}::\/64$/);
        },
      ),
    );
  });

  it('keeps different /64s apart', () => {
    fc.assert(
      fc.property(groups, groups, (a, b) => {
        fc.pre(a.slice(0, 4).join() !== b.slice(0, 4).join());
        expect(sourceKey(write(a, 'compressed'))).not.toBe(sourceKey(write(b, 'compressed')));
      }),
    );
  });

  it('keeps IPv4 addresses apart, one by one, and reads IPv4-mapped IPv6 as IPv4', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(sourceKey(ip)).toBe(ip);
        expect(sourceKey(`::ffff:${ip}`)).toBe(ip);
      }),
    );
    expect(sourceKey('203.0.113.7')).not.toBe(sourceKey('203.0.113.8'));
  });

  it('reads the shapes seen in practice', () => {
    expect(sourceKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:DB8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
    expect(sourceKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourceKey('unknown')).toBe('unknown');
  });
});

describe('the per-IP limit of an endpoint', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({ Attributes: { count: 99 } });
  });

  it('counts two addresses of one IPv6 /64 on the same counter, and another /64 on its own', async () => {
    const from = (address: string) =>
      handler(
        apiEvent('POST', '/api/password-reset', {
          body: { login: 'demo' },
          headers: { 'cloudfront-viewer-address': `[${address}]:443` },
        }),
      );
    await from('2001:db8:7:7::1');
    await from('2001:db8:7:7:ffff:1:2:3');
    await from('2001:db8:7:8::1');
    const keys = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key?.pk);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
    expect((await from('2001:db8:7:7::9')).statusCode).toBe(429);
  });
});
