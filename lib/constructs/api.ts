// The HTTP API: one Lambda function per route in lambdas/definitions/routes.ts, stage throttling,
// JSON access logs, and an authorizer that admits only requests that came through CloudFront.
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { type ApiRoute, apiRoutes, providerFunction } from '../../lambdas/definitions/routes';
import { type AccessTargets, applyAccess } from '../function-access';
import { ORIGIN_VERIFY_HEADER } from '../origin-verify';
import { HANDLERS_DIR, PortalFunction, PROJECT_ROOT } from './lambda-function';

export interface ApiProps {
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly logRetention: RetentionDays;
  /** The value CloudFront sends in the origin-verify header. */
  readonly originSecret: ISecret;
}

const METHODS: Record<ApiRoute['method'], HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  DELETE: HttpMethod.DELETE,
};

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly authorizerFunction: PortalFunction;
  /** Route handlers by handler name (lambdas/handlers/<name>.ts). */
  readonly functions = new Map<string, PortalFunction>();
  private readonly authorizer: HttpLambdaAuthorizer;
  private readonly logRetention: RetentionDays;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.logRetention = props.logRetention;
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Support Access API; reached only through the CloudFront distribution',
      // Pages and API share CloudFront's origin, so the browser never makes a cross-origin call.
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      // A ceiling for the whole API: protects the account's Lambda concurrency and the SES quota.
      // Per-user and per-address limits are the application's job.
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            // CloudFront's edge address: the viewer's address is in the function logs.
            sourceIp: '$context.identity.sourceIp',
          }),
        ),
      },
    });

    this.authorizerFunction = new PortalFunction(this, 'OriginVerify', {
      entry: join(PROJECT_ROOT, 'lib', 'functions', 'origin-verify-authorizer.ts'),
      description: 'Support Access: admits API requests that came through CloudFront',
      logRetention: props.logRetention,
      timeout: Duration.seconds(3),
      memorySize: 128,
      environment: {
        // A CloudFormation dynamic reference: the value is resolved at deploy, never in the template.
        ORIGIN_VERIFY_SECRET: props.originSecret.secretValue.unsafeUnwrap(),
      },
    });
    this.authorizer = new HttpLambdaAuthorizer('OriginVerify', this.authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [`$request.header.${ORIGIN_VERIFY_HEADER}`],
      // Every request carries the same value, so nearly all are answered from API Gateway's cache.
      resultsCacheTtl: Duration.hours(1),
    });
  }

  /**
   * Creates one function per route with its environment and permissions. Separate from the
   * constructor because the functions need the site's URL, and the site needs the API first.
   */
  addRoutes(targets: AccessTargets): void {
    for (const [name, route] of Object.entries(apiRoutes)) {
      const fn = new PortalFunction(this, pascalCase(route.handler), {
        entry: join(HANDLERS_DIR, `${route.handler}.ts`),
        description: `Support Access: ${route.method} ${route.path}`,
        logRetention: this.logRetention,
      });
      applyAccess(fn, route.handler, targets);
      this.httpApi.addRoutes({
        path: route.path,
        methods: [METHODS[route.method]],
        integration: new HttpLambdaIntegration(`${pascalCase(name)}Integration`, fn),
        authorizer: this.authorizer,
      });
      this.functions.set(route.handler, fn);
    }
    this.addProvider(targets);
  }

  /** The OpenID Provider: one function for every path under /oidc and for discovery. */
  private addProvider(targets: AccessTargets): void {
    const fn = new PortalFunction(this, pascalCase(providerFunction.handler), {
      entry: join(HANDLERS_DIR, `${providerFunction.handler}.ts`),
      description: 'Support Access: the OpenID Provider (/oidc/*, discovery)',
      logRetention: this.logRetention,
      // oidc-provider and its Koa app start faster with more CPU, which Lambda ties to memory.
      memorySize: 512,
    });
    applyAccess(fn, providerFunction.handler, targets);
    const integration = new HttpLambdaIntegration('OidcProviderIntegration', fn);
    for (const path of providerFunction.paths) {
      this.httpApi.addRoutes({ path, methods: [HttpMethod.ANY], integration, authorizer: this.authorizer });
    }
    this.functions.set(providerFunction.handler, fn);
  }
}

export function pascalCase(name: string): string {
  return name.replace(/(^|[-_])([a-z0-9])/gi, (_, __, c: string) => c.toUpperCase());
}
