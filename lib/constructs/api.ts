// The HTTP API: one Lambda function per route in lambdas/definitions/routes.ts, stage and per-route
// throttling, JSON access logs, and an authorizer that admits only requests that came through CloudFront.
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnStage, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { type ApiRoute, apiRoutes, providerFunction } from '../../lambdas/definitions/routes';
import { type AccessTargets, applyAccess } from '../function-access';
import { AUTHORIZER_MEMORY_MB, functionMemoryMb } from '../function-sizing';
import { ORIGIN_SECRET_CACHE_SECONDS, ORIGIN_VERIFY_HEADER } from '../origin-verify';
import { HANDLERS_DIR, PortalFunction, PROJECT_ROOT } from './lambda-function';

export interface ApiProps {
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly logRetention: RetentionDays;
  /** The value CloudFront sends in the origin-verify header. */
  readonly originSecret: ISecret;
}

/**
 * The most of the stage's limit one route may use, so a flood on one route (say, reset requests
 * from a botnet) leaves the rest of the stage for sign-in and everything else people need.
 */
export const ROUTE_SHARE_OF_STAGE = 0.5;

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** Each route's throttle: its share of the stage's, at least 1 request per second. */
export function routeThrottle(stage: Throttle): Throttle {
  return {
    rateLimit: Math.max(1, Math.floor(stage.rateLimit * ROUTE_SHARE_OF_STAGE)),
    burstLimit: Math.max(1, Math.floor(stage.burstLimit * ROUTE_SHARE_OF_STAGE)),
  };
}

export function routeKey(route: ApiRoute): string {
  return `${route.method} ${route.path}`;
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
  readonly accessLogs: LogGroup;
  private readonly authorizer: HttpLambdaAuthorizer;
  private readonly logRetention: RetentionDays;
  private readonly throttle: Throttle;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.logRetention = props.logRetention;
    this.throttle = { rateLimit: props.rateLimit, burstLimit: props.burstLimit };
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Support Access API; reached only through the CloudFront distribution',
      // Pages and API share CloudFront's origin, so the browser never makes a cross-origin call.
      createDefaultStage: false,
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const accessLogs = this.accessLogs;
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
      memorySize: AUTHORIZER_MEMORY_MB,
      environment: {
        // The function reads the current and previous values itself, so a rotation needs no deploy.
        ORIGIN_VERIFY_SECRET_ARN: props.originSecret.secretArn,
      },
    });
    props.originSecret.grantRead(this.authorizerFunction);
    this.authorizer = new HttpLambdaAuthorizer('OriginVerify', this.authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [`$request.header.${ORIGIN_VERIFY_HEADER}`],
      // Every request carries the same value, so nearly all are answered from API Gateway's cache;
      // short enough that a revoked value stops working minutes after a rotation, not an hour.
      resultsCacheTtl: Duration.seconds(ORIGIN_SECRET_CACHE_SECONDS),
    });
  }

  /**
   * Creates one function per route with its environment and permissions. Separate from the
   * constructor because the functions need the site's URL, and the site needs the API first.
   */
  addRoutes(targets: AccessTargets): void {
    const stage = this.stage.node.defaultChild as CfnStage;
    const throttle = routeThrottle(this.throttle);
    // RouteSettings is a JSON map in the L1 (its keys are route keys), so CDK passes it through
    // as written: the property names must be CloudFormation's own.
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const [name, route] of Object.entries(apiRoutes)) {
      const fn = new PortalFunction(this, pascalCase(route.handler), {
        entry: join(HANDLERS_DIR, `${route.handler}.ts`),
        description: `Support Access: ${route.method} ${route.path}`,
        logRetention: this.logRetention,
        memorySize: functionMemoryMb(route.handler),
      });
      applyAccess(fn, route.handler, targets);
      const routes = this.httpApi.addRoutes({
        path: route.path,
        methods: [METHODS[route.method]],
        integration: new HttpLambdaIntegration(`${pascalCase(name)}Integration`, fn),
        authorizer: this.authorizer,
      });
      // API Gateway refuses settings for a route that does not exist yet.
      for (const created of routes) stage.node.addDependency(created);
      routeSettings[routeKey(route)] = {
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
      };
      this.functions.set(route.handler, fn);
    }
    // The provider's routes get the same per-route throttle, so a flood of tool traffic cannot
    // use up the stage limit sign-in needs either.
    for (const { key, created } of this.addProvider(targets)) {
      stage.node.addDependency(created);
      routeSettings[key] = { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit };
    }
    stage.routeSettings = routeSettings;
  }

  /** The OpenID Provider: one function for every path under /oidc and for discovery. */
  private addProvider(targets: AccessTargets): { key: string; created: Construct }[] {
    const fn = new PortalFunction(this, pascalCase(providerFunction.handler), {
      entry: join(HANDLERS_DIR, `${providerFunction.handler}.ts`),
      description: 'Support Access: the OpenID Provider (/oidc/*, discovery)',
      logRetention: this.logRetention,
      memorySize: functionMemoryMb(providerFunction.handler),
    });
    applyAccess(fn, providerFunction.handler, targets);
    const integration = new HttpLambdaIntegration('OidcProviderIntegration', fn);
    const created: { key: string; created: Construct }[] = [];
    for (const path of providerFunction.paths) {
      for (const route of this.httpApi.addRoutes({
        path,
        methods: [HttpMethod.ANY],
        integration,
        authorizer: this.authorizer,
      })) {
        created.push({ key: `ANY ${path}`, created: route });
      }
    }
    this.functions.set(providerFunction.handler, fn);
    return created;
  }
}

export function pascalCase(name: string): string {
  return name.replace(/(^|[-_])([a-z0-9])/gi, (_, __, c: string) => c.toUpperCase());
}
