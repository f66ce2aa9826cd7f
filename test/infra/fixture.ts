// Builds the stack the way bin/app.ts does (cdk.json's feature flags, configuration from context
// only, so the developer's shell cannot leak in), without esbuild unless a test needs bundles.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import type { IConstruct } from 'constructs';
import { loadConfig } from '../../lib/app-config';
import { type Deployment, defineDeployment } from '../../lib/deployment';
import type { SupportAccessStack } from '../../lib/support-access-stack';

const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface Built {
  readonly app: App;
  readonly stack: SupportAccessStack;
  readonly template: Template;
  readonly deployment: Deployment;
}

/**
 * An app with cdk.json's context (its dev stage has placeholder account and addresses, allowed
 * here as `npm run synth` allows them), then the test's own context.
 */
export function buildApp(context: Record<string, unknown> = {}, options: { bundle?: boolean } = {}): App {
  return new App({
    context: {
      ...cdkJson.context,
      allowPlaceholders: 'true',
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
  });
}

export function buildDeployment(app: App): Deployment {
  const config = loadConfig({ context: (key) => app.node.tryGetContext(key), env: {} });
  return defineDeployment(app, config);
}

export function buildStack(app: App): SupportAccessStack {
  return buildDeployment(app).main;
}

export function build(context: Record<string, unknown> = {}, options: { bundle?: boolean } = {}): Built {
  const app = buildApp(context, options);
  const deployment = buildDeployment(app);
  return { app, stack: deployment.main, deployment, template: Template.fromStack(deployment.main) };
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).resolve(element.logicalId) as string;
}

/** An intrinsic-laden CloudFormation value as one readable string: {Ref: X} -> ${X}. */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(render).join(',');
  if (value && typeof value === 'object') {
    const entry = Object.entries(value)[0];
    if (entry) {
      const [fn, args] = entry;
      if (fn === 'Ref') return `\${${String(args)}}`;
      if (fn === 'Fn::GetAtt') return `\${${(args as string[]).join('.')}}`;
      if (fn === 'Fn::Join') {
        const [separator, parts] = args as [string, unknown[]];
        return parts.map(render).join(separator);
      }
      if (fn === 'Fn::Sub') return String(args);
    }
  }
  return JSON.stringify(value);
}

export interface Grant {
  readonly action: string;
  readonly resource: string;
  readonly condition?: unknown;
}

/** Every (action, resource) pair the role of a function may use, from all policies on that role. */
export function grantsOf(template: Template, functionId: string): Grant[] {
  const fn = template.toJSON().Resources[functionId];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  const role = template.toJSON().Resources[roleId];
  expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
  const grants: Grant[] = [];
  for (const resource of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const roles = (resource.Properties.Roles ?? []) as { Ref: string }[];
    if (!roles.some((r) => r.Ref === roleId)) continue;
    for (const statement of resource.Properties.PolicyDocument.Statement) {
      expect(statement.Effect).toBe('Allow');
      const actions = [statement.Action].flat() as string[];
      const resources = [statement.Resource].flat();
      for (const action of actions) {
        for (const target of resources) {
          grants.push({
            action,
            resource: render(target),
            ...(statement.Condition ? { condition: statement.Condition } : {}),
          });
        }
      }
    }
  }
  return grants;
}
