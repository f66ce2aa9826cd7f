// Least privilege both ways, checked when the integration suite is over (global teardown: the only
// moment after every test file has run): every call a function made is granted to it, and every
// grant was used by a call, in this suite or in the browser suite of the same run, or is excused
// with a reason (local/iam/least-privilege.ts). A partial run checks the first half only.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { SeenCall } from '../../local/iam/iam-enforcer';
import { describeGaps, leastPrivilegeGaps } from '../../local/iam/least-privilege';
import type { LocalStack } from '../../local/local-stack';

function recordedCalls(file: string, since: number): SeenCall[] {
  if (!existsSync(file) || statSync(file).mtimeMs < since) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SeenCall);
}

/** The part of jest's global configuration that says whether the run was narrowed. */
export interface RunScope {
  readonly nonFlagArgs: readonly string[];
  readonly testPathPatterns: { readonly patterns: readonly string[] };
  readonly testNamePattern?: string | undefined;
  readonly onlyChanged: boolean;
  readonly findRelatedTests: boolean;
}

/** A run narrowed to some files or tests has not exercised every grant. */
export function isWholeSuite(config: RunScope): boolean {
  return (
    config.nonFlagArgs.length === 0 &&
    config.testPathPatterns.patterns.length === 0 &&
    !config.testNamePattern &&
    !config.onlyChanged &&
    !config.findRelatedTests
  );
}

export function checkLeastPrivilege(
  stack: LocalStack,
  options: { startedAt: number; browserCalls: string; wholeSuite: boolean },
): void {
  const seen = [...stack.iam.calls(), ...recordedCalls(options.browserCalls, options.startedAt)];
  const gaps = leastPrivilegeGaps(stack.iam.granted(), seen);
  const failing = { ungranted: gaps.ungranted, unused: options.wholeSuite ? gaps.unused : [] };
  if (failing.ungranted.length > 0 || failing.unused.length > 0) {
    throw new Error(`Least privilege, both ways, does not hold:\n${describeGaps(failing)}`);
  }
}
