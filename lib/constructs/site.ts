// The site: a private bucket with the built pages, CloudFront in front of it (Origin Access
// Control, security headers, page routing) and the API behind the same origin at /api/*.
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  type ResponseCustomHeader,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { API_PREFIX, providerFunction } from '../../lambdas/definitions/routes';
import type { AppConfig } from '../app-config';
import { ORIGIN_VERIFY_HEADER } from '../origin-verify';
import { type BuiltSite, buildSite } from '../site-build';
import { CONTENT_SECURITY_POLICY, HSTS_SECONDS, PAGE_SECURITY_HEADERS, strictTransportSecurity } from '../site-headers';
import { siteRoutingFunctionCode } from '../site-routing';

/** The request headers the API's handlers read (lambdas/http/request.ts), forwarded by CloudFront. */
export const API_VIEWER_HEADERS = [
  'Accept-Language',
  'Content-Type',
  'Origin',
  'Sec-Fetch-Site',
  'User-Agent',
  'CloudFront-Viewer-Address',
] as const;

export interface SiteProps {
  readonly config: Pick<AppConfig, 'portalName' | 'primaryColour' | 'domainName'>;
  /** The certificate for domainName (us-east-1): imported, or made by the edge stack. */
  readonly certificate?: ICertificate | undefined;
  /** ARN of the web ACL (scope CLOUDFRONT) in front of the distribution. */
  readonly webAclArn?: string | undefined;
  /** Where CloudFront writes its standard logs when not to the site's own log bucket (see lib/edge-stack.ts). */
  readonly cloudFrontLogBucket?: IBucket | undefined;
  /**
   * Prefix of the names CloudFront keeps per account, not per region (policies, functions), so two
   * deployments with the same stack name in two regions do not collide: <stack>-<region>.
   */
  readonly globalNamePrefix: string;
  readonly httpApi: IHttpApi;
  readonly originSecret: ISecret;
  /** How long CloudFront and S3 access logs are kept. */
  readonly accessLogDays: number;
}

export class Site extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly pageHeaders: ResponseHeadersPolicy;
  readonly apiHeaders: ResponseHeadersPolicy;
  readonly routing: CloudFrontFunction;
  readonly built: BuiltSite;
  /** The origin users see, e.g. https://support.example.com: links in emails are built from it. */
  readonly siteUrl: string;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);
    const { config } = props;

    // Built at synth into the cloud assembly, so every synth deploys exactly what it built.
    const outdir = Stage.of(this)?.outdir ?? join(__dirname, '..', '..', 'cdk.out');
    this.built = buildSite({
      outDir: join(outdir, `site-${Stack.of(this).stackName}`),
      portalName: config.portalName,
      primaryColour: config.primaryColour,
    });

    this.logBucket = new Bucket(this, 'LogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // CloudFront standard logging writes with an ACL, so this one bucket keeps ACLs enabled.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Versions let a bad deploy be rolled back object by object; old ones go after 30 days.
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.pageHeaders = new ResponseHeadersPolicy(this, 'PageHeaders', {
      responseHeadersPolicyName: `${props.globalNamePrefix}-PageHeaders`,
      comment: 'Support Access pages: lib/site-headers.ts',
      securityHeadersBehavior: pageSecurityHeaders(),
      customHeadersBehavior: { customHeaders: pageCustomHeaders() },
    });
    // The API sets its own, stricter headers (lambdas/http/responses.ts); CloudFront adds HSTS and
    // fills in nosniff only where missing.
    this.apiHeaders = new ResponseHeadersPolicy(this, 'ApiHeaders', {
      responseHeadersPolicyName: `${props.globalNamePrefix}-ApiHeaders`,
      comment: 'Support Access API: HSTS; the API sets the rest',
      securityHeadersBehavior: {
        strictTransportSecurity: pageSecurityHeaders().strictTransportSecurity,
        contentTypeOptions: { override: false },
      },
    });

    // The same routing decision the local server makes (lib/site-routing.ts): clean URLs, the
    // page in the visitor's language, trailing-slash redirects, a small 404 for unknown pages.
    this.routing = new CloudFrontFunction(this, 'Routing', {
      functionName: `${props.globalNamePrefix}-Routing`,
      comment: 'Support Access page routing (lib/site-routing.ts)',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(siteRoutingFunctionCode(this.built.notFound)),
    });

    const { certificate } = props;
    const stack = Stack.of(this);
    const apiDomain = `${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;

    // Only the API's id and region: the routes and functions, which need the site URL, are
    // not referenced here, so there is no dependency cycle.
    const apiOrigin = new HttpOrigin(apiDomain, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originSecret.secretValue.unsafeUnwrap() },
    });
    const apiRequests = new OriginRequestPolicy(this, 'ApiOriginRequests', {
      originRequestPolicyName: `${props.globalNamePrefix}-ApiOriginRequests`,
      comment: 'Support Access API: the viewer headers the handlers read, and the viewer address',
      // Exactly what the handlers read. CloudFront-Viewer-Address carries the viewer's IP for
      // the per-IP rate limits (API Gateway itself sees CloudFront's address); Host is left
      // out, since it would name CloudFront's domain to API Gateway, which could not route it.
      headerBehavior: OriginRequestHeaderBehavior.allowList(...API_VIEWER_HEADERS),
      cookieBehavior: OriginRequestCookieBehavior.all(),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
    });
    const apiBehavior = {
      origin: apiOrigin,
      // A redirect would turn a POST into a GET; plain http is refused instead.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: apiRequests,
      responseHeadersPolicy: this.apiHeaders,
    };
    // Tools send their client secret (token endpoint) and access tokens (userinfo) in the
    // Authorization header, which CloudFront forwards only when a cache policy names it; nothing
    // is kept (the provider marks its answers no-store, and the TTLs are zero by default).
    const providerBehavior = {
      ...apiBehavior,
      cachePolicy: new CachePolicy(this, 'ProviderRequests', {
        cachePolicyName: `${props.globalNamePrefix}-ProviderRequests`,
        comment: 'Support Access OpenID Provider: forwards Authorization, caches nothing',
        defaultTtl: Duration.seconds(0),
        minTtl: Duration.seconds(0),
        maxTtl: Duration.seconds(1),
        headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
        queryStringBehavior: CacheQueryStringBehavior.all(),
        cookieBehavior: CacheCookieBehavior.none(),
      }),
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Support Access',
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...(certificate && config.domainName
        ? {
            certificate,
            domainNames: [config.domainName],
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      enableLogging: true,
      logBucket: props.cloudFrontLogBucket ?? this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.pageHeaders,
        compress: true,
        functionAssociations: [{ function: this.routing, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [`${API_PREFIX}/*`]: apiBehavior,
        // The OpenID Provider answers on the same origin (the issuer): its paths go to the API too.
        ...Object.fromEntries(providerFunction.cloudFrontPatterns.map((pattern) => [pattern, providerBehavior])),
      },
    });

    this.siteUrl = `https://${config.domainName ?? this.distribution.distributionDomainName}`;

    // Hashed files first and kept (pages still cached in a browser may ask for the previous ones);
    // then the pages, which replace the old ones and invalidate CloudFront's copies.
    const source = Source.asset(this.built.outDir);
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [source],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: [...this.built.immutableFiles],
      prune: false,
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
    });
    const pagesDeployment = new BucketDeployment(this, 'DeployPages', {
      sources: [source],
      destinationBucket: this.bucket,
      // Excluded files are neither uploaded nor pruned: earlier hashed files survive.
      exclude: hashedPatterns(this.built.immutableFiles),
      prune: true,
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
    pagesDeployment.node.addDependency(assets);
    // Both deployments share CDK's one handler function, which uses the first one's AWS CLI layer;
    // the second layer would be an unused resource in the template.
    pagesDeployment.node.tryRemoveChild('AwsCliLayer');
  }
}

/** app-1a2b3c4d5e.js -> app-*.js: matches this build's hashed files and every earlier one. */
export function hashedPatterns(files: readonly string[]): string[] {
  return [...new Set(files.map((file) => file.replace(/-[0-9a-f]{6,}(\.[a-z0-9]+)$/, '-*$1')))];
}

/** The security headers of lib/site-headers.ts, in the fields CloudFront has for them. */
export function pageSecurityHeaders(): ResponseSecurityHeadersBehavior {
  const hsts = strictTransportSecurity();
  const header = (name: string): string => {
    const value = PAGE_SECURITY_HEADERS[name];
    if (value === undefined) throw new Error(`lib/site-headers.ts no longer sets ${name}`);
    return value;
  };
  const frameOption = header('x-frame-options').toUpperCase();
  if (frameOption !== HeadersFrameOption.DENY && frameOption !== HeadersFrameOption.SAMEORIGIN) {
    throw new Error(`x-frame-options "${frameOption}" has no CloudFront equivalent`);
  }
  const referrer = header('referrer-policy');
  const referrerPolicy = Object.values(HeadersReferrerPolicy).find((policy) => policy === referrer);
  if (!referrerPolicy) throw new Error(`referrer-policy "${referrer}" has no CloudFront equivalent`);
  if (header('x-content-type-options') !== 'nosniff') throw new Error('x-content-type-options must be nosniff');
  if (header('content-security-policy') !== CONTENT_SECURITY_POLICY) throw new Error('two different CSPs');
  return {
    contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
    strictTransportSecurity: {
      accessControlMaxAge: Duration.seconds(HSTS_SECONDS),
      includeSubdomains: /;\s*includeSubDomains/i.test(hsts),
      preload: /;\s*preload/i.test(hsts),
      override: true,
    },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption, override: true },
    referrerPolicy: { referrerPolicy, override: true },
  };
}

const SECURITY_HEADER_FIELDS = new Set([
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'x-xss-protection',
]);

/** The remaining headers of lib/site-headers.ts (CloudFront refuses security headers as custom ones). */
export function pageCustomHeaders(): ResponseCustomHeader[] {
  return Object.entries(PAGE_SECURITY_HEADERS)
    .filter(([name]) => !SECURITY_HEADER_FIELDS.has(name))
    .map(([header, value]) => ({ header, value, override: true }));
}
