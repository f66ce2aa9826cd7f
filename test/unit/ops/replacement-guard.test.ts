// The deploy guard: reads `cdk diff` the way CI will, and fails only for the user pool and the table.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findReplacements, protectedChanges, runGuard } from '../../../ops/replacement-guard';

// Lines as `cdk diff --no-color` (aws-cdk 2.1148) prints them.
const DIFF = `Stack SupportAccess
Resources
[~] AWS::DynamoDB::Table Data/Table DataTableFDBAD0F2 replace
 └─ [~] KeySchema (requires replacement)
[-] AWS::DynamoDB::Table Data/Table OldTable orphan
[~] AWS::Cognito::UserPool Users/UserPool UsersUserPool7E610616
 └─ [~] UsernameAttributes
[~] AWS::Cognito::UserPool Users/OtherPool OtherPool1234 may be replaced
[~] AWS::Lambda::Function Api/SessionGet ApiSessionGet8A5A89AD replace
[-] AWS::SQS::Queue ResetQueue/Queue ResetQueue1234 destroy
[+] AWS::DynamoDB::Table Data/NewTable NewTable1234
`;

test('flags a replaced, possibly replaced or orphaned user pool or table, and nothing else', () => {
  expect(protectedChanges(DIFF)).toEqual([
    '[~] AWS::DynamoDB::Table Data/Table DataTableFDBAD0F2 replace',
    '[-] AWS::DynamoDB::Table Data/Table OldTable orphan',
    '[~] AWS::Cognito::UserPool Users/OtherPool OtherPool1234 may be replaced',
  ]);
  expect(protectedChanges('Stack SupportAccess\nThere were no differences\n')).toEqual([]);
});

describe('with synthesized templates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guard-'));
  const template = (resources: Record<string, string>) =>
    JSON.stringify({ Resources: Object.fromEntries(Object.entries(resources).map(([id, Type]) => [id, { Type }])) });
  const head = join(dir, 'head');
  const base = join(dir, 'base');
  const stacks: Record<string, Record<string, Record<string, string>>> = {
    [head]: {
      SupportAccess: { Table: 'AWS::DynamoDB::Table' },
      'SupportAccess-eu-west-1-edge-alarms': { Alarm: 'AWS::CloudWatch::Alarm' },
    },
    [base]: {
      SupportAccess: { Table: 'AWS::DynamoDB::Table' },
      'SupportAccess-eu-west-1-edge-alarms': { Alarm: 'AWS::CloudWatch::Alarm' },
      Gone: { Pool: 'AWS::Cognito::UserPool' },
    },
  };
  beforeAll(() => {
    for (const [path, files] of Object.entries(stacks)) {
      mkdirSync(path, { recursive: true });
      for (const [stack, resources] of Object.entries(files)) {
        writeFileSync(join(path, `${stack}.template.json`), template(resources));
      }
    }
  });

  test('diffs only the stacks that hold protected resources, and reports a stack that disappeared', () => {
    const calls: string[][] = [];
    const findings = findReplacements({
      head,
      base,
      diff: (args) => {
        calls.push(args);
        return DIFF;
      },
    });
    expect(calls).toEqual([
      ['--app', head, '--template', join(base, 'SupportAccess.template.json'), '--no-color', 'SupportAccess'],
    ]);
    expect(findings.map((f) => `${f.stack}: ${f.line}`).sort()).toEqual(
      [
        `Gone: the stack Gone (with the user pool or the table) is gone from ${head}`,
        'SupportAccess: [~] AWS::DynamoDB::Table Data/Table DataTableFDBAD0F2 replace',
        'SupportAccess: [-] AWS::DynamoDB::Table Data/Table OldTable orphan',
        'SupportAccess: [~] AWS::Cognito::UserPool Users/OtherPool OtherPool1234 may be replaced',
      ].sort(),
    );
  });

  test('exits 2 with its usage when --base is missing or wrong', () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    expect(runGuard([], io)).toBe(2);
    expect(lines.pop()).toMatch(/^Usage: npm run guard:replacements -- --base/);
    expect(runGuard(['--base', join(dir, 'nowhere'), '--head', head], io)).toBe(2);
    expect(lines.pop()).toMatch(/nowhere does not exist/);
  });
});
