// `cdk synth` / `cdk deploy`: the Support Access stack, checked by cdk-nag's AWS Solutions rules
// (acknowledged findings and their reasons are written into the template's Metadata).
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppConfigError, loadConfig } from '../lib/app-config';
import { SupportAccessStack } from '../lib/support-access-stack';

const app = new App();
try {
  const config = loadConfig({ context: (key) => app.node.tryGetContext(key), env: process.env });
  new SupportAccessStack(app, config.stackName, {
    stackName: config.stackName,
    description: 'Support Access: hosted sign-in and self-service password reset for the support portal',
    config,
  });
} catch (error) {
  if (!(error instanceof AppConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
Tags.of(app).add('project', 'support-access');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
