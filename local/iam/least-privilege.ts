// Least privilege both ways: what each function was seen to call must be granted to it, and what
// it is granted must be called, unless a reason below says why a grant is never seen locally.
import type { SeenCall } from './iam-enforcer';
import type { FunctionPolicies } from './template-policies';

export interface GrantException {
  /** A handler name, or '*' for every function. */
  readonly handler: string;
  readonly actions: readonly string[];
  readonly reason: string;
}

/** Grants the suites cannot see a function use locally, each with why it is still needed. */
export const LEAST_PRIVILEGE_EXCEPTIONS: readonly GrantException[] = [
  {
    handler: '*',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    reason: "the Lambda service writes each function's logs with its role; the code never calls CloudWatch Logs",
  },
  {
    handler: 'password-reset-worker',
    actions: [
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
    ],
    reason: "the SQS event source mapping polls the queue with the worker's role; locally the queue delivers directly",
  },
  {
    handler: 'password-reset-confirm',
    actions: ['cognito-idp:AdminUserGlobalSignOut'],
    reason:
      'cognito-local lacks global sign-out (COGNITO_GLOBAL_SIGN_OUT=unsupported skips the call locally); ' +
      'test/unit/handlers/password-reset-confirm.test.ts covers it with a mocked client',
  },
  {
    handler: 'session-get',
    actions: ['dynamodb:DeleteItem'],
    reason:
      "liveSession removes a dead session's record (idle past the timeout, or issued before a reset whose record " +
      'was missed) on the way; the suites cannot wait out the idle timeout and a reset deletes the records itself; ' +
      'test/unit/domain/sessions.test.ts covers it',
  },
  {
    handler: 'account-get',
    actions: ['dynamodb:DeleteItem'],
    reason:
      "liveSession removes a dead session's record (idle or issued before a reset) on the way; the suites meet " +
      'dead sessions through GET /api/session; test/unit/domain/sessions.test.ts covers it',
  },
  {
    handler: 'account-totp-start',
    actions: ['dynamodb:DeleteItem'],
    reason:
      "liveSession removes a dead session's record (idle or issued before a reset) on the way; the suites meet " +
      'dead sessions through GET /api/session; test/unit/domain/sessions.test.ts covers it',
  },
  {
    handler: 'account-totp-confirm',
    actions: ['dynamodb:DeleteItem'],
    reason:
      'only the required set-up during sign-in (REQUIRE_SECOND_FACTOR=true) ends its step and replaces a session; ' +
      'the shared local stack runs without the requirement; test/unit/domain/second-factors.test.ts covers that path',
  },
];

export interface LeastPrivilegeGaps {
  /** Calls a function made that its role does not grant (each also failed with AccessDenied). */
  readonly ungranted: readonly string[];
  /** Grants no function call used and no exception explains. */
  readonly unused: readonly string[];
}

/** The actions each function's Allow statements name (wildcards kept as written). */
export function grantedActions(policies: FunctionPolicies): Map<string, Set<string>> {
  const granted = new Map<string, Set<string>>();
  for (const [handler, documents] of policies.policies) {
    const actions = new Set<string>();
    for (const document of documents) {
      for (const statement of [document.Statement].flat()) {
        if (statement.Effect !== 'Allow') continue;
        for (const action of [statement.Action ?? []].flat()) actions.add(String(action));
      }
    }
    granted.set(handler, actions);
  }
  return granted;
}

export function leastPrivilegeGaps(
  granted: ReadonlyMap<string, ReadonlySet<string>>,
  seen: readonly SeenCall[],
  exceptions: readonly GrantException[] = LEAST_PRIVILEGE_EXCEPTIONS,
): LeastPrivilegeGaps {
  const ungranted = seen
    .filter((call) => !call.allowed || !granted.get(call.handler)?.has(call.action))
    .map((call) => `${call.handler} ${call.action}`);
  const unused: string[] = [];
  for (const [handler, actions] of granted) {
    for (const action of actions) {
      const called = seen.some((call) => call.handler === handler && call.action === action && call.allowed);
      const excused = exceptions.some(
        (e) => (e.handler === '*' || e.handler === handler) && e.actions.includes(action),
      );
      if (!called && !excused) unused.push(`${handler} ${action}`);
    }
  }
  return { ungranted: [...new Set(ungranted)].sort(), unused: unused.sort() };
}

export function describeGaps(gaps: LeastPrivilegeGaps): string {
  const lines: string[] = [];
  if (gaps.ungranted.length > 0) {
    lines.push(
      'Called without a grant (add it in lib/function-access.ts, or stop calling it):',
      ...gaps.ungranted.map((g) => `  ${g}`),
    );
  }
  if (gaps.unused.length > 0) {
    lines.push(
      'Granted but never called (remove it from lib/function-access.ts, cover it in a suite, or give a reason in local/iam/least-privilege.ts):',
      ...gaps.unused.map((g) => `  ${g}`),
    );
  }
  return lines.join('\n');
}
