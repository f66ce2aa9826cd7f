// `cdk synth` / `cdk deploy`: the Support Access stacks of one stage (-c stage=dev|prod, cdk.json
// "stages"), checked by cdk-nag's AWS Solutions rules (acknowledged findings and their reasons are
// written into the templates' Metadata).
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppConfigError, loadConfig } from '../lib/app-config';
import { defineDeployment } from '../lib/deployment';

const app = new App();
try {
  const config = loadConfig({ context: (key) => app.node.tryGetContext(key), env: process.env });
  defineDeployment(app, config);
} catch (error) {
  if (!(error instanceof AppConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
Tags.of(app).add('project', 'support-access');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
