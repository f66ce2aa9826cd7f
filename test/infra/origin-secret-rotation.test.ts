// The rotation function: a new value is staged, becomes current (the old one previous, still
// accepted by the authorizer), and only then is CloudFront pointed at it.
import type * as CloudFront from '@aws-sdk/client-cloudfront';
import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import type { RotationEvent } from '../../lib/functions/origin-secret-rotation';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:OriginVerifySecret-AbCdEf';
const OLD = 'o'.repeat(48);
const NEW = 'n'.repeat(48);
const TOKEN = '5b2a0f7e-0000-4000-8000-000000000001';
const OLD_VERSION = '5b2a0f7e-0000-4000-8000-000000000000';

type Handler = (event: RotationEvent) => Promise<void>;
// biome-ignore lint/suspicious/noExplicitAny: the stubs' types are the SDKs', loaded per test
type Stub = AwsStub<any, any, any>;

let secrets: Stub;
let cloudFront: Stub;
let sm: typeof SecretsManager;
let cf: typeof CloudFront;
let versions: Record<string, string[]>;
let values: Record<string, string>;
let distributionConfig: CloudFront.DistributionConfig;
/** What changed, in order. */
let changes: string[];

function load(): Handler {
  process.env.DISTRIBUTION_ID = 'E1ABCDEFGHIJKL';
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    sm = require('@aws-sdk/client-secrets-manager');
    cf = require('@aws-sdk/client-cloudfront');
    secrets = mockClient(sm.SecretsManagerClient);
    cloudFront = mockClient(cf.CloudFrontClient);
    secrets.on(sm.DescribeSecretCommand).callsFake(() => ({ RotationEnabled: true, VersionIdsToStages: versions }));
    secrets.on(sm.GetSecretValueCommand).callsFake((input: { VersionId?: string; VersionStage?: string }) => {
      const id = input.VersionId ?? Object.keys(versions).find((v) => versions[v]?.includes(input.VersionStage ?? ''));
      if (!id || !values[id] || (input.VersionStage && !versions[id]?.includes(input.VersionStage))) {
        throw new sm.ResourceNotFoundException({ message: 'not found', $metadata: {} });
      }
      return { SecretString: values[id] };
    });
    secrets.on(sm.GetRandomPasswordCommand).resolves({ RandomPassword: NEW });
    secrets.on(sm.PutSecretValueCommand).callsFake((input: { ClientRequestToken: string; SecretString: string }) => {
      values[input.ClientRequestToken] = input.SecretString;
      return {};
    });
    secrets
      .on(sm.UpdateSecretVersionStageCommand)
      .callsFake((input: { MoveToVersionId: string; RemoveFromVersionId: string }) => {
        changes.push('secret staged');
        versions[input.RemoveFromVersionId] = ['AWSPREVIOUS'];
        versions[input.MoveToVersionId] = ['AWSCURRENT'];
        return {};
      });
    cloudFront.on(cf.GetDistributionConfigCommand).callsFake(() => ({
      DistributionConfig: structuredClone(distributionConfig),
      ETag: 'ETAG1',
    }));
    cloudFront.on(cf.UpdateDistributionCommand).callsFake(() => {
      changes.push('cloudfront updated');
      return {};
    });
    handler = require('../../lib/functions/origin-secret-rotation').handler;
  });
  if (!handler) throw new Error('no handler');
  return handler;
}

const step = (Step: RotationEvent['Step']): RotationEvent => ({ Step, SecretId: SECRET, ClientRequestToken: TOKEN });

beforeEach(() => {
  changes = [];
  versions = { [OLD_VERSION]: ['AWSCURRENT'], [TOKEN]: ['AWSPENDING'] };
  values = { [OLD_VERSION]: OLD };
  distributionConfig = {
    CallerReference: 'ref',
    Comment: 'Support Access',
    Enabled: true,
    Origins: {
      Quantity: 2,
      Items: [
        { Id: 'site', DomainName: 'bucket.s3.eu-west-1.amazonaws.com' },
        {
          Id: 'api',
          DomainName: 'abc.execute-api.eu-west-1.amazonaws.com',
          CustomHeaders: { Quantity: 1, Items: [{ HeaderName: 'x-origin-verify', HeaderValue: OLD }] },
        },
      ],
    },
    DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'redirect-to-https' },
  } as CloudFront.DistributionConfig;
});

afterEach(() => {
  secrets?.restore();
  cloudFront?.restore();
});

test('walks the four steps: CloudFront gets the new value only after it is current', async () => {
  const handler = load();
  await handler(step('createSecret'));
  expect(values[TOKEN]).toBe(NEW);
  await handler(step('setSecret'));
  await handler(step('testSecret'));
  expect(cloudFront.commandCalls(cf.UpdateDistributionCommand)).toHaveLength(0);

  await handler(step('finishSecret'));
  expect(versions).toEqual({ [OLD_VERSION]: ['AWSPREVIOUS'], [TOKEN]: ['AWSCURRENT'] });
  const updates = cloudFront.commandCalls(cf.UpdateDistributionCommand);
  expect(updates).toHaveLength(1);
  const input = updates[0]?.args[0].input as CloudFront.UpdateDistributionCommandInput;
  expect(input.IfMatch).toBe('ETAG1');
  expect(input.DistributionConfig?.Origins?.Items?.[1]?.CustomHeaders?.Items).toEqual([
    { HeaderName: 'x-origin-verify', HeaderValue: NEW },
  ]);
  expect(changes).toEqual(['secret staged', 'cloudfront updated']);
});

test('a retried createSecret keeps the value it already staged', async () => {
  const handler = load();
  values[TOKEN] = 'p'.repeat(48);
  await handler(step('createSecret'));
  expect(values[TOKEN]).toBe('p'.repeat(48));
  expect(secrets.commandCalls(sm.PutSecretValueCommand)).toHaveLength(0);
});

test('a retried finishSecret leaves the stages alone and does not update CloudFront twice', async () => {
  const handler = load();
  values[TOKEN] = NEW;
  versions = { [OLD_VERSION]: ['AWSPREVIOUS'], [TOKEN]: ['AWSCURRENT'] };
  const header = distributionConfig.Origins?.Items?.[1]?.CustomHeaders?.Items?.[0];
  if (header) header.HeaderValue = NEW;
  await handler(step('finishSecret'));
  expect(secrets.commandCalls(sm.UpdateSecretVersionStageCommand)).toHaveLength(0);
  expect(cloudFront.commandCalls(cf.UpdateDistributionCommand)).toHaveLength(0);
});

test('refuses to finish when no origin carries the header, rather than leave CloudFront behind', async () => {
  const handler = load();
  values[TOKEN] = NEW;
  distributionConfig.Origins?.Items?.[1] && delete distributionConfig.Origins.Items[1].CustomHeaders;
  await expect(handler(step('finishSecret'))).rejects.toThrow(
    /No origin of distribution E1ABCDEFGHIJKL sends x-origin-verify/,
  );
});

test('refuses a version that is not pending, and a secret without rotation', async () => {
  const handler = load();
  versions = { [OLD_VERSION]: ['AWSCURRENT'], [TOKEN]: [] };
  await expect(handler(step('testSecret'))).rejects.toThrow(/is not pending rotation/);
  secrets.on(sm.DescribeSecretCommand).resolves({ RotationEnabled: false, VersionIdsToStages: versions });
  await expect(handler(step('createSecret'))).rejects.toThrow(/Rotation is not enabled/);
});
