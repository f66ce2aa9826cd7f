// The one way this stack makes a Lambda function: every handler gets the same runtime, architecture,
// bundling, logging and limits, so a new handler cannot silently drift from them.
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { lambdaBundling } from '../bundling';

export const PROJECT_ROOT = join(__dirname, '..', '..');
export const HANDLERS_DIR = join(PROJECT_ROOT, 'lambdas', 'handlers');

/** The newest Node.js runtime this aws-cdk-lib knows (cdk-nag L1 checks the same). */
export const NODE_RUNTIME = Runtime.NODEJS_24_X;

export interface PortalFunctionProps {
  /** Source file of the handler; it must export `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly logRetention: RetentionDays;
  readonly environment?: Record<string, string>;
  /** Default 10 s: every AWS call in the handlers has a 5 s request timeout, and API Gateway waits 30 s at most. */
  readonly timeout?: Duration;
  readonly memorySize?: number;
  /**
   * Opt-in: read the bundle's source map at run time (`NODE_OPTIONS=--enable-source-maps`) so logged
   * stacks name TypeScript files and lines. Off by default: it costs ~30 ms of every cold start and
   * ~200 ms on the first formatted stack. The map is in the asset either way.
   */
  readonly sourceMapsAtRuntime?: boolean;
}

/**
 * A NodejsFunction with the project's defaults, its own log group (with retention, created before
 * the function so Lambda never makes one without) and its own role that may only write to that log
 * group. Everything else a function may do is granted explicitly (see lib/function-access.ts).
 */
export class PortalFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PortalFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Not AWSLambdaBasicExecutionRole: that one may create log groups and write to any of them.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.description}`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: NODE_RUNTIME,
      architecture: Architecture.ARM_64,
      // lib/function-sizing.ts chooses it per function, from the bench's measurements.
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      // lib/bundling.ts is the definition; the local stack builds its bundles from it too.
      bundling: {
        format: lambdaBundling.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        target: lambdaBundling.target,
        mainFields: [...lambdaBundling.mainFields],
        minify: lambdaBundling.minify,
        keepNames: lambdaBundling.keepNames,
        sourceMap: lambdaBundling.sourcemap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: lambdaBundling.sourcesContent,
        banner: lambdaBundling.banner,
        esbuildArgs: {
          '--legal-comments': lambdaBundling.legalComments,
          '--alias': Object.entries(lambdaBundling.alias).map(([from, to]) => `${from}=${to}`),
        },
        // The SDK version the code was tested with, not whatever the runtime ships this month.
        bundleAwsSDK: true,
        externalModules: [],
        // Warnings and errors only: the size summary of every bundle drowns them otherwise.
        logLevel: LogLevel.WARNING,
      },
      environment: {
        ...(props.sourceMapsAtRuntime ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        POWERTOOLS_SERVICE_NAME: 'support-access',
        ...props.environment,
      },
    });
  }
}
