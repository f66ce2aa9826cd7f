// Checks each AWS call a function makes against that function's role policies, with a kept IAM
// policy evaluator (@cloud-copilot/iam-simulate, development only), and answers a denied call the
// way AWS does. The caller is the access key id the request was signed with: each function runs
// with AWS_ACCESS_KEY_ID = its handler name; the ops CLI and the bootstrap use the admin key.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { LOCAL_ADMIN_ACCESS_KEY } from './admin-key';
import { callerKey, describeRequest, type IamCheck, type LocalService, type RawRequest } from './aws-requests';
import { grantedActions } from './least-privilege';
import { type FunctionPolicies, LOCAL_ACCOUNT, type PolicyDocument } from './template-policies';

export interface Denial {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface SeenCall {
  readonly handler: string;
  readonly action: string;
  readonly allowed: boolean;
}

export interface IamEnforcerOptions {
  /** Where denials are reported (one line each). */
  readonly log?: (line: string) => void;
  /** Appends each new (function, action, outcome) as a JSON line, for the least-privilege test. */
  readonly callLog?: string;
  /** Named in denial lines, e.g. the template file. */
  readonly origin?: string;
}

const principalOf = (handler: string) => `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${handler}/${handler}`;

export class IamEnforcer {
  private readonly decisions = new Map<string, Promise<boolean>>();
  private readonly seen = new Map<string, SeenCall>();
  private readonly log: (line: string) => void;

  constructor(
    private readonly policies: FunctionPolicies,
    private readonly options: IamEnforcerOptions = {},
  ) {
    this.log = options.log ?? ((line) => console.error(line));
    if (options.callLog) mkdirSync(dirname(options.callLog), { recursive: true });
  }

  /** Undefined when the call may go on; otherwise the answer AWS would give. */
  async check(service: LocalService, request: RawRequest): Promise<Denial | undefined> {
    const key = callerKey(request);
    if (key === LOCAL_ADMIN_ACCESS_KEY) return undefined;
    const described = describeRequest(service, request);
    if (described.kind === 'public') return undefined;
    const handler = key ?? '(unsigned)';
    const documents = key ? this.policies.policies.get(key) : undefined;
    if (!documents) {
      const action =
        described.kind === 'iam' ? (described.checks[0]?.action ?? described.operation) : described.operation;
      this.log(
        `[local] IAM denied ${action}: the caller's access key "${handler}" is no function of the template; ` +
          'each function must run with AWS_ACCESS_KEY_ID set to its handler name',
      );
      return this.denial(
        service,
        `The security token included in the request is invalid (access key "${handler}")`,
        'UnrecognizedClientException',
      );
    }
    if (described.kind === 'unknown') {
      this.record(handler, described.operation, false);
      this.log(`[local] IAM denied ${handler}: ${described.reason}; add it to local/iam/aws-requests.ts`);
      return this.denial(service, `${described.reason}.`);
    }
    for (const check of described.checks) {
      const allowed = await this.allows(handler, documents, check);
      this.record(handler, check.action, allowed);
      if (!allowed) {
        const resource = check.resources.join(' or ');
        this.log(
          `[local] IAM denied ${handler} ${check.action} on ${resource}: not allowed by its role's policies` +
            (this.options.origin ? ` in ${this.options.origin}` : ''),
        );
        return this.denial(
          service,
          `User: ${principalOf(handler)} is not authorized to perform: ${check.action} on resource: ${check.resources[0]} ` +
            `because no identity-based policy allows the ${check.action} action`,
        );
      }
    }
    return undefined;
  }

  /** The actions each function's role grants. */
  granted(): Map<string, Set<string>> {
    return grantedActions(this.policies);
  }

  /** What each function was seen to call, with whether it was allowed. */
  calls(): SeenCall[] {
    return [...this.seen.values()].sort((a, b) => `${a.handler} ${a.action}`.localeCompare(`${b.handler} ${b.action}`));
  }

  private record(handler: string, action: string, allowed: boolean): void {
    const id = `${handler} ${action} ${allowed}`;
    if (this.seen.has(id)) return;
    const call = { handler, action, allowed };
    this.seen.set(id, call);
    if (this.options.callLog) appendFileSync(this.options.callLog, `${JSON.stringify(call)}\n`);
  }

  private async allows(handler: string, documents: readonly PolicyDocument[], check: IamCheck): Promise<boolean> {
    for (const resource of check.resources) {
      const id = JSON.stringify([handler, check.action, resource, check.context]);
      let decision = this.decisions.get(id);
      if (!decision) {
        decision = simulate(
          handler,
          documents,
          check.action,
          resource,
          check.context,
          this.policies.resourcePolicies?.get(resource),
        );
        this.decisions.set(id, decision);
      }
      if (await decision) return true;
    }
    return false;
  }

  private denial(service: LocalService, message: string, type = 'AccessDeniedException'): Denial {
    if (service === 'ses') {
      // SES v2 is a REST API: 403 with the error type in a header.
      return {
        status: 403,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
        body: JSON.stringify({ message }),
      };
    }
    return {
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type },
      body: JSON.stringify({ __type: type, message }),
    };
  }
}

async function simulate(
  handler: string,
  documents: readonly PolicyDocument[],
  action: string,
  resource: string,
  context: Readonly<Record<string, string | string[]>>,
  resourcePolicy?: PolicyDocument,
): Promise<boolean> {
  const result = await runSimulation(
    {
      ...(resourcePolicy ? { resourcePolicy } : {}),
      request: {
        principal: principalOf(handler),
        action,
        resource: { resource, accountId: LOCAL_ACCOUNT },
        contextVariables: { ...context },
      },
      identityPolicies: documents.map((policy, index) => ({ name: `${handler}-${index}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') {
    // A request or policy the evaluator cannot read: fail closed, and say why.
    console.error(
      `[local] IAM could not evaluate ${action} on ${resource} for ${handler}: ${JSON.stringify(result.errors)}`,
    );
    return false;
  }
  return result.overallResult === 'Allowed';
}
