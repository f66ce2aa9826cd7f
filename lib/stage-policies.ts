// What a stage changes in every stack: termination protection, and whether log groups outlive
// the stack (lib/app-config.ts STAGE_POLICIES says which stage gets what).
import { RemovalPolicies, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { AppConfig } from './app-config';

/** Function, API and firewall logs: long enough to investigate a complaint about a reset weeks later. */
export const LOG_RETENTION = RetentionDays.THREE_MONTHS;
/** CloudFront and S3 access logs. */
export const ACCESS_LOG_DAYS = 90;

export function logRetention(_config: Pick<AppConfig, 'stagePolicy'>): RetentionDays {
  return LOG_RETENTION;
}

export function logRemovalPolicy(config: Pick<AppConfig, 'stagePolicy'>): RemovalPolicy {
  return config.stagePolicy.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

/**
 * Applies the stage to a finished stack: termination protection, and in a stage that retains logs,
 * every log group of the stack (including those constructs create for themselves) kept on delete.
 */
export function applyStagePolicy(stack: Stack, config: Pick<AppConfig, 'stagePolicy'>): void {
  stack.terminationProtection = config.stagePolicy.terminationProtection;
  if (config.stagePolicy.retainLogs) {
    RemovalPolicies.of(stack).retain({ applyToResourceTypes: ['AWS::Logs::LogGroup'] });
  }
}
