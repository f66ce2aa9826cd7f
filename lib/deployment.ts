// The stacks of one deployment (a stage), in deploy order: the edge stack in us-east-1 when
// CloudFront needs something from there (web ACL, certificate, log bucket), the main stack in the
// stage's region, and the us-east-1 alarms that watch CloudFront. bin/app.ts and the tests use this.
import type { App } from 'aws-cdk-lib';
import type { AppConfig } from './app-config';
import { EdgeAlarmsStack } from './edge-alarms-stack';
import { EDGE_REGION, EdgeStack, needsEdgeStack } from './edge-stack';
import { applyStagePolicy } from './stage-policies';
import { SupportAccessStack } from './support-access-stack';

export interface Deployment {
  readonly edge: EdgeStack | undefined;
  readonly main: SupportAccessStack;
  readonly edgeAlarms: EdgeAlarmsStack;
}

const DESCRIPTION = 'Support Access: hosted sign-in and self-service password reset for the support portal';

/** Stack names in us-east-1 carry the home region: two deployments named alike in two regions stay apart. */
export function edgeStackNames(config: Pick<AppConfig, 'stackName' | 'region'>): { edge: string; alarms: string } {
  return {
    edge: `${config.stackName}-${config.region}-edge`,
    alarms: `${config.stackName}-${config.region}-edge-alarms`,
  };
}

export function defineDeployment(app: App, config: AppConfig): Deployment {
  const names = edgeStackNames(config);
  const home = { account: config.account, region: config.region };
  const edgeEnv = { account: config.account, region: EDGE_REGION };
  const tags = { project: 'support-access', stage: config.stage };

  const edge = needsEdgeStack(config)
    ? new EdgeStack(app, names.edge, {
        stackName: names.edge,
        description: `${DESCRIPTION} (us-east-1 parts: web ACL, certificate)`,
        env: edgeEnv,
        tags,
        config,
      })
    : undefined;
  if (edge) applyStagePolicy(edge, config);

  const main = new SupportAccessStack(app, config.stackName, {
    stackName: config.stackName,
    description: DESCRIPTION,
    env: home,
    tags,
    config,
    edge: {
      certificate: edge?.certificate,
      webAcl: edge?.firewall ? { arn: edge.firewall.webAcl.attrArn, name: edge.firewall.name } : undefined,
      cloudFrontLogBucket: edge?.cloudFrontLogBucket,
    },
  });
  if (edge) main.addStackDependency(edge);

  const edgeAlarms = new EdgeAlarmsStack(app, names.alarms, {
    stackName: names.alarms,
    description: `${DESCRIPTION} (CloudFront alarms, us-east-1)`,
    env: edgeEnv,
    tags,
    config,
    distributionId: main.site.distribution.distributionId,
  });
  edgeAlarms.addStackDependency(main);
  applyStagePolicy(edgeAlarms, config);

  return { edge, main, edgeAlarms };
}
