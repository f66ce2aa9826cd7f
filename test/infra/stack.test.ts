// The security-relevant shape of the synthesized template, one stack built for the whole file.
import { runInNewContext } from 'node:vm';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { lifetimeDefaults } from '../../lambdas/definitions/lifetimes';
import { passwordPolicy } from '../../lambdas/definitions/password-policy';
import { type ApiRoute, apiRoutes, providerFunction, queueConsumers } from '../../lambdas/definitions/routes';
import { emailTemplateContents } from '../../lib/email-template-files';
import { ORIGIN_SECRET_CACHE_SECONDS } from '../../lib/origin-verify';
import { CONTENT_SECURITY_POLICY, HSTS_SECONDS } from '../../lib/site-headers';
import { siteRoutingFunctionCode } from '../../lib/site-routing';
import type { SupportAccessStack } from '../../lib/support-access-stack';
import { REQUIRED_OUTPUTS } from '../../ops/settings';
import { build, type Grant, grantsOf, logicalId, render } from './fixture';

let stack: SupportAccessStack;
let template: Template;
let resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;

/** A resource's properties; a missing resource fails the test here, not with a TypeError later. */
function propertiesOf(id: string): Record<string, unknown> {
  const resource = resources[id];
  if (!resource) throw new Error(`no resource ${id} in the template`);
  return resource.Properties;
}

beforeAll(() => {
  ({ stack, template } = build());
  resources = template.toJSON().Resources;
});

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

function only<T>(found: Record<string, T>): T {
  const values = Object.values(found);
  expect(values).toHaveLength(1);
  return values[0] as T;
}

describe('site bucket and CloudFront', () => {
  test('both buckets block all public access, encrypt and refuse plain HTTP', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
      ).toEqual({ SSEAlgorithm: 'AES256' });
    }
    for (const policy of Object.values(template.findResources('AWS::S3::BucketPolicy'))) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
    }
  });

  test('only this distribution may read the site bucket, through Origin Access Control', () => {
    const bucketId = logicalId(stack.site.bucket);
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
      (p) => render(p.Properties.Bucket) === `\${${bucketId}}`,
    );
    const allows = policy?.Properties.PolicyDocument.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': expect.objectContaining({ 'Fn::Join': expect.anything() }),
          },
        },
      }),
    ]);
    expect(render(allows[0].Condition.StringEquals['AWS:SourceArn'])).toContain(logicalId(stack.site.distribution));
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    const config = only(template.findResources('AWS::CloudFront::Distribution')).Properties.DistributionConfig;
    const s3Origin = config.Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
  });

  test('pages: HTTPS, clean-URL function, security headers; /api/*: HTTP API, no cache, the headers the handlers read and the viewer address, never Host', () => {
    const config = only(template.findResources('AWS::CloudFront::Distribution')).Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      ResponseHeadersPolicyId: { Ref: logicalId(stack.site.pageHeaders) },
      FunctionAssociations: [{ EventType: 'viewer-request' }],
    });
    expect(config.CacheBehaviors).toHaveLength(1 + providerFunction.cloudFrontPatterns.length);
    const api = config.CacheBehaviors[0];
    expect(api).toMatchObject({
      PathPattern: '/api/*',
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: CACHING_DISABLED,
      ResponseHeadersPolicyId: { Ref: logicalId(stack.site.apiHeaders) },
    });
    // The API gets the headers its handlers read and the viewer's address (per-IP limits), never Host.
    const [policyId] = Object.keys(template.findResources('AWS::CloudFront::OriginRequestPolicy'));
    expect(api.OriginRequestPolicyId).toEqual({ Ref: policyId });
    template.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
      OriginRequestPolicyConfig: Match.objectLike({
        HeadersConfig: {
          HeaderBehavior: 'whitelist',
          Headers: Match.arrayWith(['Origin', 'CloudFront-Viewer-Address']),
        },
        CookiesConfig: { CookieBehavior: 'all' },
      }),
    });
    const forwarded = template.findResources('AWS::CloudFront::OriginRequestPolicy')[policyId ?? '']?.Properties
      .OriginRequestPolicyConfig.HeadersConfig.Headers as string[];
    expect(forwarded.map((h) => h.toLowerCase())).not.toContain('host');
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'DELETE']));
    const origin = config.Origins.find((o: { Id: string }) => o.Id === api.TargetOriginId);
    // The origin names only the API: referencing routes or functions would close a cycle with SITE_URL.
    expect(render(origin.DomainName)).toBe(
      `\${${logicalId(stack.api.httpApi)}}.execute-api.${stack.region}.\${AWS::URLSuffix}`,
    );
    expect(origin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(origin.OriginCustomHeaders).toEqual([{ HeaderName: 'x-origin-verify', HeaderValue: expect.anything() }]);
    expect(render(origin.OriginCustomHeaders[0].HeaderValue)).toMatch(
      /^\{\{resolve:secretsmanager:.+:SecretString:::\}\}$/,
    );
    expect(config.Logging.Prefix).toBe('cloudfront/');
    expect(config.HttpVersion).toBe('http2and3');
  });

  test('the page headers policy is strict and comes from lib/site-headers.ts', () => {
    const policy = propertiesOf(logicalId(stack.site.pageHeaders)).ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
      CustomHeadersConfig: { Items: { Header: string; Value: string }[] };
    };
    const security = policy.SecurityHeadersConfig;
    expect(security.ContentSecurityPolicy).toEqual({ ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(security.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: HSTS_SECONDS,
      IncludeSubdomains: true,
      Preload: true,
      Override: true,
    });
    expect(HSTS_SECONDS).toBeGreaterThanOrEqual(31_536_000);
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    const custom = Object.fromEntries(policy.CustomHeadersConfig.Items.map((h) => [h.Header, h.Value]));
    expect(custom['cross-origin-opener-policy']).toBe('same-origin');
    expect(custom['permissions-policy']).toContain('camera=()');
    expect(custom['permissions-policy']).toContain('publickey-credentials-get=(self)');

    // The API keeps its own stricter CSP: CloudFront adds HSTS and does not override the rest.
    const apiPolicy = propertiesOf(logicalId(stack.site.apiHeaders)).ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, unknown>;
    };
    expect(apiPolicy.SecurityHeadersConfig.ContentSecurityPolicy).toBeUndefined();
    expect(apiPolicy.SecurityHeadersConfig.StrictTransportSecurity).toMatchObject({ Override: true });
  });

  test('the routing function is lib/site-routing.ts, and serves every page in every language', () => {
    const fn = only(template.findResources('AWS::CloudFront::Function')).Properties as {
      FunctionCode: string;
      FunctionConfig: { Runtime: string };
    };
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.FunctionCode).toBe(siteRoutingFunctionCode(stack.site.built.notFound));
    // CloudFront Functions take at most 10 KB of code, the two 404 pages included.
    expect(Buffer.byteLength(fn.FunctionCode)).toBeLessThan(10 * 1024);
    const handler = runInNewContext(`${fn.FunctionCode}; handler`) as (event: unknown) => {
      uri?: string;
      statusCode?: number;
      headers?: Record<string, { value: string }>;
      body?: { data: string };
    };
    const run = (uri: string, language?: string) =>
      handler({
        request: {
          uri,
          headers: language ? { 'accept-language': { value: language } } : {},
          querystring: {},
          cookies: {},
        },
      });
    // Every built page is reachable at its clean path in its language, and nothing else is a page.
    for (const page of stack.site.built.pages) expect(run(page.path, page.language).uri).toBe(`/${page.file}`);
    expect(run('/forgot/')).toMatchObject({ statusCode: 302, headers: { location: { value: '/forgot' } } });
    expect(run('/no-such-page')).toMatchObject({ statusCode: 404, body: { data: stack.site.built.notFound.en } });
    expect(run('/no-such-page', 'it')).toMatchObject({ statusCode: 404, body: { data: stack.site.built.notFound.it } });
    const asset = `/${stack.site.built.immutableFiles[0]}`;
    expect(run(asset).uri).toBe(asset);
  });

  test('pages are deployed no-cache and pruned; hashed files immutable and kept', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(2);
    const pagesDeployment = deployments.find((d) => d.Properties.Prune === true);
    const assetsDeployment = deployments.find((d) => d.Properties.Prune === false);
    expect(pagesDeployment?.Properties.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    expect(pagesDeployment?.Properties.DistributionPaths).toEqual(['/*']);
    expect(pagesDeployment?.Properties.Exclude).toEqual(['app-*.js', 'styles-*.css']);
    expect(assetsDeployment?.Properties.SystemMetadata).toEqual({
      'cache-control': 'public, max-age=31536000, immutable',
    });
    expect(assetsDeployment?.Properties.Include).toEqual([...stack.site.built.immutableFiles]);
    expect(Object.keys(template.findResources('AWS::Lambda::LayerVersion'))).toHaveLength(1);
  });
});

describe('API', () => {
  test('every route from routes.ts exists, behind the origin-verify authorizer, on its own function', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    const expected = [
      ...(Object.values(apiRoutes) as ApiRoute[]).map((r) => `${r.method} ${r.path}`),
      ...providerFunction.paths.map((path) => `ANY ${path}`),
    ].sort();
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(expected);
    const authorizerId = only(template.findResources('AWS::ApiGatewayV2::Authorizer'));
    expect(authorizerId.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      IdentitySource: ['$request.header.x-origin-verify'],
      EnableSimpleResponses: true,
      // Minutes, not an hour: a revoked origin secret must stop working soon after a rotation.
      AuthorizerResultTtlInSeconds: ORIGIN_SECRET_CACHE_SECONDS,
    });
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe('CUSTOM');
    const targets = Object.values(template.findResources('AWS::ApiGatewayV2::Integration')).map((i) =>
      render(i.Properties.IntegrationUri),
    );
    // One function per API route, and one for all the provider's paths.
    expect(new Set(targets).size).toBe(Object.keys(apiRoutes).length + 1);
    for (const route of Object.values(apiRoutes) as ApiRoute[]) {
      const fn = stack.api.functions.get(route.handler);
      expect(fn).toBeDefined();
      expect(targets).toContain(`\${${logicalId(fn as never)}.Arn}`);
    }
  });

  test('the $default stage is throttled and writes JSON access logs with a retention', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
    const stage = only(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({ status: '$context.status' });
  });
});

describe('functions', () => {
  const handlerNames = [
    ...(Object.values(apiRoutes) as ApiRoute[]).map((r) => r.handler),
    queueConsumers.resetRequests.handler,
    providerFunction.handler,
  ];

  function functionOf(handler: string) {
    const fn = handler === queueConsumers.resetRequests.handler ? stack.worker : stack.api.functions.get(handler);
    if (!fn) throw new Error(`no function for ${handler}`);
    return fn;
  }

  test('all share the defaults: newest Node, arm64, no source maps read at start, own log group with retention', () => {
    const all = [...handlerNames.map(functionOf), stack.api.authorizerFunction, stack.originSecretRotation.function];
    expect(
      Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } })),
    ).toHaveLength(all.length);
    for (const fn of all) {
      const props = propertiesOf(logicalId(fn)) as Record<string, unknown>;
      expect(props).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: expect.any(Number),
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
        Environment: { Variables: expect.objectContaining({ POWERTOOLS_SERVICE_NAME: 'support-access' }) },
      });
      // The maps ship in the asset; reading them at start would cost every cold start (lib/bundling.ts).
      expect((props.Environment as { Variables: Record<string, unknown> }).Variables.NODE_OPTIONS).toBeUndefined();
      expect(props.Timeout as number).toBeLessThanOrEqual(29);
      const logGroup = resources[(props.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref];
      expect(logGroup?.Properties.RetentionInDays).toBe(90);
    }
  });

  // What each function may do, written out: a change here is a security review, not a refactor.
  const expectedGrants: Record<string, string[]> = {
    'password-reset-request': ['dynamodb:UpdateItem table', 'sqs:SendMessage reset queue'],
    'password-reset-worker': [
      'cognito-idp:AdminGetUser user pool',
      'cognito-idp:ListUsers user pool',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:Query byUser index',
      'dynamodb:UpdateItem table',
      'ses:SendEmail configuration set',
      'ses:SendEmail identity example.com',
      'ses:SendEmail identity no-reply@example.com',
      'ses:SendEmail template reset-link',
      // Reading the queue comes with the event source mapping.
      'sqs:ChangeMessageVisibility reset queue',
      'sqs:DeleteMessage reset queue',
      'sqs:GetQueueAttributes reset queue',
      'sqs:GetQueueUrl reset queue',
      'sqs:ReceiveMessage reset queue',
    ],
    'password-reset-confirm': [
      'cognito-idp:AdminGetUser user pool',
      'cognito-idp:AdminSetUserPassword user pool',
      'cognito-idp:AdminUserGlobalSignOut user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:Query byUser index',
      'dynamodb:UpdateItem table',
      'ses:SendEmail configuration set',
      'ses:SendEmail identity example.com',
      'ses:SendEmail identity no-reply@example.com',
      'ses:SendEmail template new-password',
      // Ends the person's sessions in the tools: a logout token signed with the provider's key.
      'secretsmanager:GetSecretValue provider keys',
    ].sort(),
    // Signs in through the admin flow with the client secret it reads; counts failures; replaces
    // the browser's previous session.
    'session-create': [
      'cognito-idp:AdminGetUser user pool',
      'cognito-idp:AdminInitiateAuth user pool',
      'cognito-idp:DescribeUserPoolClient user pool',
      'cognito-idp:ListUsers user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:Query table',
      'dynamodb:UpdateItem table',
    ],
    'session-new-password': [
      'cognito-idp:AdminRespondToAuthChallenge user pool',
      'cognito-idp:DescribeUserPoolClient user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:Query table',
      'dynamodb:UpdateItem table',
    ],
    // Opens the authenticator secret (Decrypt only) to check a code.
    'session-second-factor': [
      'cognito-idp:AdminGetUser user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:UpdateItem table',
      'kms:Decrypt factor key',
      'ses:SendEmail configuration set',
      'ses:SendEmail identity example.com',
      'ses:SendEmail identity no-reply@example.com',
      'ses:SendEmail template security-notice',
    ],
    'account-get': [
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:Query byUser index',
      'dynamodb:Query table',
      'dynamodb:UpdateItem table',
    ],
    // Seals a new secret (Encrypt only): it never opens one.
    'account-totp-start': [
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:UpdateItem table',
      'kms:Encrypt factor key',
    ],
    'account-totp-confirm': [
      'cognito-idp:AdminGetUser user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:Query table',
      'dynamodb:UpdateItem table',
      'kms:Decrypt factor key',
      'ses:SendEmail configuration set',
      'ses:SendEmail identity example.com',
      'ses:SendEmail identity no-reply@example.com',
      'ses:SendEmail template security-notice',
    ],
    'account-totp-remove': [
      'cognito-idp:AdminGetUser user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:Query table',
      'dynamodb:UpdateItem table',
      'kms:Decrypt factor key',
      'ses:SendEmail configuration set',
      'ses:SendEmail identity example.com',
      'ses:SendEmail identity no-reply@example.com',
      'ses:SendEmail template security-notice',
    ],
    'account-recovery-codes': [
      'cognito-idp:AdminGetUser user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:Query table',
      'dynamodb:UpdateItem table',
      'ses:SendEmail configuration set',
      'ses:SendEmail identity example.com',
      'ses:SendEmail identity no-reply@example.com',
      'ses:SendEmail template security-notice',
    ],
    'account-sessions-revoke': [
      'cognito-idp:AdminGetUser user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:Query byUser index',
      'dynamodb:UpdateItem table',
      'ses:SendEmail configuration set',
      'ses:SendEmail identity example.com',
      'ses:SendEmail identity no-reply@example.com',
      'ses:SendEmail template security-notice',
    ],
    // Passkeys: a ceremony's challenge stored and spent (DeleteItem), the user's passkeys listed
    // (Query on their partition), the owner item of a credential read; no key (public keys only).
    'session-passkey-options': [
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:Query table',
      'dynamodb:UpdateItem table',
    ],
    // Checks the account is enabled (AdminGetUser) before a passkey signs it in.
    'session-passkey': [
      'cognito-idp:AdminGetUser user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:UpdateItem table',
    ],
    'account-passkey-options': [
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:Query table',
      'dynamodb:UpdateItem table',
    ],
    'account-passkey-add': [
      'cognito-idp:AdminGetUser user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:Query table',
      'dynamodb:UpdateItem table',
      'ses:SendEmail configuration set',
      'ses:SendEmail identity example.com',
      'ses:SendEmail identity no-reply@example.com',
      'ses:SendEmail template security-notice',
    ],
    'account-passkey-remove': [
      'cognito-idp:AdminGetUser user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:UpdateItem table',
      'ses:SendEmail configuration set',
      'ses:SendEmail identity example.com',
      'ses:SendEmail identity no-reply@example.com',
      'ses:SendEmail template security-notice',
    ],
    // Reads the session and the credential generation, slides the idle timeout, deletes a dead session.
    'session-get': ['dynamodb:DeleteItem table', 'dynamodb:GetItem table', 'dynamodb:UpdateItem table'],
    // Also signs the person out of the tools (back-channel logout).
    'session-delete': [
      'cognito-idp:AdminGetUser user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:Query byUser index',
      'dynamodb:UpdateItem table',
      'secretsmanager:GetSecretValue provider keys',
    ],
    'oidc-provider': [
      'cognito-idp:AdminGetUser user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:Query byUser index',
      'dynamodb:UpdateItem table',
      'secretsmanager:GetSecretValue provider keys',
    ],
    // Stores a request (deletes it again if the ops email fails), reads the address's pending
    // requests with one keyed read, flags an existing account, emails ops; nothing on the pool
    // beyond ListUsers.
    'credential-request': [
      'cognito-idp:ListUsers user pool',
      'dynamodb:DeleteItem table',
      'dynamodb:GetItem table',
      'dynamodb:PutItem table',
      'dynamodb:UpdateItem table',
      'ses:SendEmail configuration set',
      'ses:SendEmail identity example.com',
      'ses:SendEmail identity no-reply@example.com',
      'ses:SendEmail template credential-request-ops',
    ],
  };

  function describeGrants(grants: Grant[], ownLogs: string): string[] {
    const table = `\${${logicalId(stack.data.table)}.Arn}`;
    const names: Record<string, string> = {
      [table]: 'table',
      [`${table}/index/byUser`]: 'byUser index',
      [`\${${logicalId(stack.users.userPool)}.Arn}`]: 'user pool',
      [`\${${logicalId(stack.resetQueue.queue)}.Arn}`]: 'reset queue',
      [`\${${logicalId(stack.data.factorKey)}.Arn}`]: 'factor key',
      [`\${${ownLogs}.Arn}`]: 'own log group',
      [`\${${logicalId(stack.providerKeys)}}`]: 'provider keys',
    };
    const ses = /^arn:aws:ses:eu-west-1:000000000000:(identity|configuration-set|template)\/(.+)$/;
    return grants
      .map(({ action, resource }) => {
        const match = ses.exec(resource);
        if (match) {
          const [, kind, name = ''] = match;
          if (kind === 'configuration-set') return `${action} configuration set`;
          if (kind === 'template')
            return `${action} template ${name.replace(/^SupportAccess-/, '').replace(/-[a-z]{2}$/, '')}`;
          return `${action} identity ${name}`;
        }
        return `${action} ${names[resource] ?? resource}`;
      })
      .filter((grant) => !grant.endsWith('own log group'))
      .sort()
      .filter((grant, index, all) => all.indexOf(grant) === index);
  }

  test.each(handlerNames)('%s may do exactly what it needs, on only its resources', (handler) => {
    const fn = functionOf(handler);
    const grants = grantsOf(template, logicalId(fn));
    const ownLogs = (propertiesOf(logicalId(fn)).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(describeGrants(grants, ownLogs)).toEqual(expectedGrants[handler]);
    // Logs go only to its own log group.
    const logGrants = grants.filter((g) => g.action.startsWith('logs:'));
    expect(logGrants.map((g) => g.resource)).toEqual(logGrants.map(() => `\${${ownLogs}.Arn}`));
    expect(logGrants.length).toBeGreaterThan(0);
    for (const grant of grants) expect(grant.resource).not.toBe('*');
    for (const grant of grants.filter((g) => g.action === 'ses:SendEmail')) {
      expect(grant.condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@example.com' } });
    }
  });

  test('only the confirm handler may set a password or sign a user out everywhere', () => {
    for (const action of ['cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminUserGlobalSignOut']) {
      const allowed = handlerNames.filter((handler) =>
        grantsOf(template, logicalId(functionOf(handler))).some((g) => g.action === action),
      );
      expect(allowed).toEqual(['password-reset-confirm']);
    }
  });

  test('no function may scan the table or touch anything with a wildcard', () => {
    for (const handler of handlerNames) {
      for (const grant of grantsOf(template, logicalId(functionOf(handler)))) {
        expect(grant.action).not.toMatch(/\*|Scan|BatchWrite|DeleteTable|cognito-idp:AdminDelete/);
        expect(grant.resource).not.toMatch(/\*$/);
      }
    }
  });

  test('the provider function answers every provider path and reads its keys from the secret', () => {
    const env = (
      propertiesOf(logicalId(functionOf(providerFunction.handler))).Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(render(env.OIDC_KEYS_SECRET)).toBe(`\${${logicalId(stack.providerKeys)}}`);
    const config = only(template.findResources('AWS::CloudFront::Distribution')).Properties.DistributionConfig;
    const provider = config.CacheBehaviors.filter((b: { PathPattern: string }) =>
      (providerFunction.cloudFrontPatterns as readonly string[]).includes(b.PathPattern),
    );
    expect(provider).toHaveLength(providerFunction.cloudFrontPatterns.length);
    for (const behavior of provider) {
      expect(behavior).toMatchObject({
        ViewerProtocolPolicy: 'https-only',
        TargetOriginId: config.CacheBehaviors[0].TargetOriginId,
      });
      // Tools authenticate with the Authorization header: forwarded through the cache policy, nothing cached.
      const policy =
        template.findResources('AWS::CloudFront::CachePolicy')[behavior.CachePolicyId.Ref]?.Properties
          .CachePolicyConfig;
      expect(policy).toMatchObject({ DefaultTTL: 0, MinTTL: 0 });
      expect(policy.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig.Headers).toEqual(['Authorization']);
    }
  });

  test('the authorizer may only write its logs and read the origin secret, which is not in its environment', () => {
    const id = logicalId(stack.api.authorizerFunction);
    const secret = `\${${logicalId(stack.originSecret)}}`;
    const grants = grantsOf(template, id).filter((g) => !g.action.startsWith('logs:'));
    expect(grants.map((g) => `${g.action} ${g.resource}`).sort()).toEqual([
      `secretsmanager:DescribeSecret ${secret}`,
      `secretsmanager:GetSecretValue ${secret}`,
    ]);
    const env = (propertiesOf(id).Environment as { Variables: Record<string, unknown> }).Variables;
    expect(render(env.ORIGIN_VERIFY_SECRET_ARN)).toBe(secret);
    expect(JSON.stringify(env)).not.toMatch(/resolve:secretsmanager/);
  });

  test('every function gets SITE_URL from the distribution and the variables its handler reads', () => {
    for (const handler of handlerNames) {
      const env = (
        propertiesOf(logicalId(functionOf(handler))).Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      expect(render(env.SITE_URL)).toBe(`https://\${${logicalId(stack.site.distribution)}.DomainName}`);
      expect(env).toMatchObject({ PORTAL_NAME: 'IMS SUPPORT', RESET_TOKEN_MINUTES: '30' });
    }
  });
});

describe('data, users, queue, mail', () => {
  test('the table is on-demand, encrypted, recoverable, with the TTL attribute and the byUser index', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byUser',
            KeySchema: [
              { AttributeName: 'userPk', KeyType: 'HASH' },
              { AttributeName: 'userSk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
    });
  });

  test('the user pool: admin-created users, username or email case-insensitive, the shared password policy', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        AliasAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        DeletionProtection: 'ACTIVE',
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] },
        Policies: {
          PasswordPolicy: {
            MinimumLength: passwordPolicy.minLength,
            RequireLowercase: passwordPolicy.requireLowercase,
            RequireUppercase: passwordPolicy.requireUppercase,
            RequireNumbers: passwordPolicy.requireDigits,
            RequireSymbols: passwordPolicy.requireSymbols,
            // Cognito's unit is whole days (at least 1); the app enforces its minutes itself.
            TemporaryPasswordValidityDays: 1,
          },
        },
      },
    });
  });

  test('the app client: admin auth only, with a secret kept out of the template, no attribute writes, no OAuth', () => {
    const client = only(template.findResources('AWS::Cognito::UserPoolClient')).Properties;
    // Cognito always allows refreshing tokens; the API never keeps one.
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.WriteAttributes).toEqual([]);
    // The functions read the secret at run time (DescribeUserPoolClient); no environment has it.
    expect(JSON.stringify(template.findResources('AWS::Lambda::Function'))).not.toMatch(/ClientSecret/);
    expect(client).toMatchObject({
      GenerateSecret: true,
      PreventUserExistenceErrors: 'ENABLED',
      AllowedOAuthFlowsUserPoolClient: false,
      EnableTokenRevocation: true,
      AuthSessionValidity: lifetimeDefaults.challengeSeconds / 60,
    });
    expect(client.CallbackURLs).toBeUndefined();
  });

  test('the reset queue: encrypted, redrives to the dead-letter queue, timeouts matched to the worker', () => {
    const consumer = queueConsumers.resetRequests;
    const queue = propertiesOf(logicalId(stack.resetQueue.queue)) as Record<string, never>;
    expect(queue).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: consumer.visibilityTimeoutSeconds,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack.resetQueue.deadLetterQueue), 'Arn'] },
        maxReceiveCount: consumer.maxReceiveCount,
      },
    });
    const worker = propertiesOf(logicalId(stack.worker)) as { Timeout: number };
    expect(worker.Timeout * 6).toBeLessThanOrEqual(consumer.visibilityTimeoutSeconds);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.worker) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const queuePolicies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(queuePolicies).toHaveLength(2);
    for (const policy of queuePolicies) {
      expect(policy.Properties.PolicyDocument.Statement[0]).toMatchObject({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    }
  });

  test('mail: the SES templates are the files the local runner uses, with a configuration set and identity', () => {
    const expected = emailTemplateContents('SupportAccess');
    const templates = Object.values(template.findResources('AWS::SES::Template')).map((t) => t.Properties.Template);
    expect(templates).toHaveLength(expected.length);
    for (const content of expected) {
      expect(templates).toContainEqual({
        TemplateName: content.name,
        SubjectPart: content.subject,
        HtmlPart: content.html,
        TextPart: content.text,
      });
    }
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.com' });
  });
});

describe('alarms', () => {
  test('API 5xx, every function, the dead-letter queue and SES reputation alarm to the ops topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const names = alarms.map((a) => a.Properties.AlarmName as string);
    const functions = [
      'origin-verify',
      'origin-secret-rotation',
      ...(Object.values(apiRoutes) as ApiRoute[]).map((r) => r.handler),
      queueConsumers.resetRequests.handler,
      providerFunction.handler,
    ];
    expect(names.sort()).toEqual(
      [
        'Api5xx',
        'Api4xxRate',
        'Api403Rate',
        'ResetDlqNotEmpty',
        'ResetQueueDelayed',
        'SesBounceRate',
        'SesComplaintRate',
        'SesBounceRateOfSet',
        'SesComplaint',
        'SesDeliveryDelay',
        'SesReject',
        'SesRenderingFailure',
        ...(Object.values(apiRoutes) as ApiRoute[]).map(
          (r) => `p99-${r.method}-${r.path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`,
        ),
        ...functions.flatMap((f) => [`${f}-errors`, `${f}-throttles`]),
      ]
        .map((n) => `SupportAccess-${n}`)
        .sort(),
    );
    const topic = { Ref: logicalId(stack.alarms.topic) };
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
    const dlq = alarms.find((a) => a.Properties.AlarmName === 'SupportAccess-ResetDlqNotEmpty')?.Properties;
    expect(dlq).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(render(dlq?.Dimensions[0].Value)).toBe(`\${${logicalId(stack.resetQueue.deadLetterQueue)}.QueueName}`);
    const ses = alarms.filter((a) => a.Properties.Namespace === 'AWS/SES').map((a) => a.Properties.MetricName);
    expect(ses.sort()).toEqual([
      'Complaint',
      'DeliveryDelay',
      'Reject',
      'RenderingFailure',
      'Reputation.BounceRate',
      'Reputation.ComplaintRate',
    ]);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('the template as a whole', () => {
  test('has no reference cycle (CloudFormation would refuse it at deploy)', () => {
    const edges = new Map<string, Set<string>>();
    const collect = (value: unknown, into: Set<string>): void => {
      if (Array.isArray(value)) for (const v of value) collect(v, into);
      else if (value && typeof value === 'object') {
        for (const [key, v] of Object.entries(value)) {
          if (key === 'Ref' && typeof v === 'string' && v in resources) into.add(v);
          else if (key === 'Fn::GetAtt' && Array.isArray(v) && v[0] in resources) into.add(v[0]);
          else collect(v, into);
        }
      }
    };
    for (const [id, resource] of Object.entries(resources)) {
      const deps = new Set<string>(resource.DependsOn ?? []);
      collect(resource.Properties, deps);
      edges.set(id, deps);
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string, path: string[]): void => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') throw new Error(`cycle: ${[...path, id].join(' -> ')}`);
      state.set(id, 'visiting');
      for (const next of edges.get(id) ?? []) visit(next, [...path, id]);
      state.set(id, 'done');
    };
    for (const id of edges.keys()) visit(id, []);
  });

  test('outputs what the ops CLI reads, and gives the request handler the ops address', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const key of REQUIRED_OUTPUTS) expect(outputs[key]).toBeDefined();
    expect(outputs.EmailTemplatePrefix?.Value).toBe('SupportAccess');
    expect(outputs.TemporaryPasswordMinutes?.Value).toBe(String(lifetimeDefaults.temporaryPasswordMinutes));
    const fn = stack.api.functions.get('credential-request');
    if (!fn) throw new Error('no credential-request function');
    const env = (propertiesOf(logicalId(fn)).Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.OPS_EMAIL).toBe('ops@example.com');
    expect(render(env.OPS_COMMAND_ARGS)).toBe('--stack SupportAccess --region eu-west-1');
  });

  test('outputs the login URL', () => {
    template.hasOutput('LoginUrl', {
      Value: {
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.site.distribution), 'DomainName'] }, '/']],
      },
    });
  });
});
