// Reads what each Lambda function may do from a synthesized CloudFormation template: its role's
// policies, with the template's tokens (Ref, Fn::GetAtt, Fn::Join, Fn::Sub) resolved to the local
// account, region and resources, so the local proxies can check every call as IAM would.
import { apiRoutes, providerFunction, queueConsumers } from '../../lambdas/definitions/routes';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'eu-west-1';

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[] | Record<string, unknown>;
}

/** The local resources the template's tokens stand for. */
export interface LocalResources {
  readonly tableName: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly queueName: string;
  /** The local KMS key that stands for the factor key. */
  readonly factorKeyArn?: string;
  readonly queueUrl: string;
  /** The OpenID Provider's key secret (its ARN), when the stack has one. */
  readonly keysSecretArn?: string;
}

/** Settings the deployed functions get from the template, which the local stack reuses. */
export interface TemplateSettings {
  readonly senderEmail?: string;
  readonly opsEmail?: string;
  readonly templatePrefix?: string;
}

export interface FunctionPolicies {
  /** Handler name (lambdas/definitions/routes.ts) -> its role's policy documents, tokens resolved. */
  readonly policies: ReadonlyMap<string, readonly PolicyDocument[]>;
  /** Resource ARN -> its resource policy (the factor key's key policy), tokens resolved. */
  readonly resourcePolicies?: ReadonlyMap<string, PolicyDocument>;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

/** Every function this project deploys, by handler name. */
export function handlerNames(): string[] {
  return [...Object.values(apiRoutes), providerFunction, ...Object.values(queueConsumers)].map((r) => r.handler);
}

function pascalCase(handler: string): string {
  return handler
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function refOf(value: unknown): string | undefined {
  const ref = asRecord(value).Ref;
  return typeof ref === 'string' ? ref : undefined;
}

/** The logical id of each function, found by the construct id its handler gets (e.g. ApiSessionCreate1A2B3C4D). */
export function functionLogicalIds(template: CfnTemplate): Map<string, string> {
  const functions = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([id]) => id);
  const ids = new Map<string, string>();
  for (const handler of handlerNames()) {
    const pattern = new RegExp(`^(Api)?${pascalCase(handler)}[0-9A-F]{8}$`);
    const matches = functions.filter((id) => pattern.test(id));
    if (matches.length !== 1) {
      throw new TemplateError(
        `the template has ${matches.length} Lambda functions for handler "${handler}" (logical id like ` +
          `Api${pascalCase(handler)}XXXXXXXX): give LOCAL_IAM_TEMPLATE a template synthesized from this project`,
      );
    }
    ids.set(handler, matches[0] as string);
  }
  return ids;
}

/** Which logical ids are the table, pool, client and queue: the ones the functions' environment names. */
function resourceRoles(template: CfnTemplate): Map<string, 'table' | 'pool' | 'client' | 'queue' | 'secret' | 'key'> {
  const roles = new Map<string, 'table' | 'pool' | 'client' | 'queue' | 'secret' | 'key'>();
  const byVariable = {
    TABLE_NAME: 'table',
    USER_POOL_ID: 'pool',
    USER_POOL_CLIENT_ID: 'client',
    RESET_QUEUE_URL: 'queue',
    OIDC_KEYS_SECRET: 'secret',
  } as const;
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const variables = asRecord(asRecord(resource.Properties?.Environment).Variables);
    for (const [name, role] of Object.entries(byVariable)) {
      const ref = refOf(variables[name]);
      if (ref) roles.set(ref, role);
    }
    // The factor key is named by its ARN (Fn::GetAtt), not a Ref.
    const keyAtt = asRecord(variables.FACTOR_KEY_ID)['Fn::GetAtt'];
    if (Array.isArray(keyAtt) && typeof keyAtt[0] === 'string') roles.set(keyAtt[0], 'key');
  }
  return roles;
}

export class TokenResolver {
  private readonly roles: Map<string, 'table' | 'pool' | 'client' | 'queue' | 'secret' | 'key'>;

  constructor(
    private readonly template: CfnTemplate,
    private readonly local: LocalResources,
  ) {
    this.roles = resourceRoles(template);
  }

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1) {
      const [fn] = keys as [string];
      const args = record[fn];
      if (fn === 'Ref' && typeof args === 'string') return this.ref(args);
      if (fn === 'Fn::GetAtt') {
        const [id, attribute] = (Array.isArray(args) ? args : String(args).split('.')) as [string, string];
        return this.getAtt(id, attribute);
      }
      if (fn === 'Fn::Join') {
        const [separator, parts] = args as [string, unknown[]];
        return parts.map((part) => String(this.resolve(part))).join(separator);
      }
      if (fn === 'Fn::Sub') {
        const [text, variables] = (Array.isArray(args) ? args : [args, {}]) as [string, Record<string, unknown>];
        return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
          if (name in variables) return String(this.resolve(variables[name]));
          const [id, attribute] = name.split('.') as [string, string | undefined];
          return String(attribute ? this.getAtt(id, attribute) : this.ref(id));
        });
      }
    }
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, this.resolve(item)]));
  }

  private ref(id: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': LOCAL_REGION,
      'AWS::AccountId': LOCAL_ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    if (pseudo[id]) return pseudo[id];
    const role = this.roles.get(id);
    if (role === 'table') return this.local.tableName;
    if (role === 'pool') return this.local.userPoolId;
    if (role === 'client') return this.local.clientId;
    if (role === 'queue') return this.local.queueUrl;
    if (role === 'secret' && this.local.keysSecretArn) return this.local.keysSecretArn;
    const resource = this.template.Resources[id];
    const properties = resource?.Properties ?? {};
    switch (resource?.Type) {
      case 'AWS::SES::Template':
        return String(this.resolve(asRecord(properties.Template).TemplateName ?? id));
      case 'AWS::SES::EmailIdentity':
        return String(this.resolve(properties.EmailIdentity ?? id));
      case 'AWS::SES::ConfigurationSet':
        return String(this.resolve(properties.Name ?? id));
      default:
        // Nothing local stands for it: a value no request can carry, so a grant on it allows nothing.
        return `unresolved-${id}`;
    }
  }

  private getAtt(id: string, attribute: string): string {
    const arn = (service: string, resource: string) =>
      `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
    const role = this.roles.get(id);
    if (attribute === 'Arn') {
      if (role === 'table') return arn('dynamodb', `table/${this.local.tableName}`);
      if (role === 'pool') return arn('cognito-idp', `userpool/${this.local.userPoolId}`);
      if (role === 'queue') return arn('sqs', this.local.queueName);
      if (role === 'key' && this.local.factorKeyArn) return this.local.factorKeyArn;
    }
    return `unresolved-${id}.${attribute}`;
  }
}

/** Each function's role policies (AWS::IAM::Policy resources on its role and the role's inline ones), resolved. */
export function functionPolicies(template: CfnTemplate, local: LocalResources): FunctionPolicies {
  const resolver = new TokenResolver(template, local);
  const policies = new Map<string, PolicyDocument[]>();
  for (const [handler, functionId] of functionLogicalIds(template)) {
    const fn = template.Resources[functionId];
    const role = asRecord(fn?.Properties?.Role)['Fn::GetAtt'];
    const roleId = Array.isArray(role) ? String(role[0]) : undefined;
    if (!roleId || !template.Resources[roleId]) {
      throw new TemplateError(
        `function ${functionId} (${handler}) has no role of this template: cannot check its calls`,
      );
    }
    const documents: PolicyDocument[] = [];
    const inline = (template.Resources[roleId]?.Properties?.Policies ?? []) as { PolicyDocument: unknown }[];
    for (const policy of inline) documents.push(resolver.resolve(policy.PolicyDocument) as PolicyDocument);
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      const roles = (resource.Properties?.Roles ?? []) as unknown[];
      if (!roles.some((r) => refOf(r) === roleId)) continue;
      documents.push(resolver.resolve(resource.Properties?.PolicyDocument) as PolicyDocument);
    }
    policies.set(handler, documents);
  }
  // KMS also asks the key's own policy (a key whose policy does not delegate to the account's IAM
  // allows no identity policy anything), so the factor key's policy goes with it.
  const resourcePolicies = new Map<string, PolicyDocument>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::KMS::Key' || !local.factorKeyArn) continue;
    if (resolver.resolve({ 'Fn::GetAtt': [id, 'Arn'] }) !== local.factorKeyArn) continue;
    resourcePolicies.set(local.factorKeyArn, resolver.resolve(resource.Properties?.KeyPolicy) as PolicyDocument);
  }
  return { policies, resourcePolicies };
}

/** The mail and ops settings the template gives the functions, so the local stack sends as the deployed one does. */
export function templateSettings(template: CfnTemplate): TemplateSettings {
  const settings: { senderEmail?: string; opsEmail?: string; templatePrefix?: string } = {};
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const variables = asRecord(asRecord(resource.Properties?.Environment).Variables);
    const literal = (name: string) => (typeof variables[name] === 'string' ? (variables[name] as string) : undefined);
    settings.senderEmail ??= literal('SENDER_EMAIL');
    settings.opsEmail ??= literal('OPS_EMAIL');
    settings.templatePrefix ??= literal('EMAIL_TEMPLATE_PREFIX');
  }
  return settings;
}
