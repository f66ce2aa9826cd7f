// The local stack enforces each function's role from the synthesized template: given a template
// without session-create's AdminGetUser grant (LOCAL_IAM_TEMPLATE), exactly the calls that need it
// fail as they would in AWS (503, one log line naming the function and action); the rest works.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SeenCall } from '../../local/iam/iam-enforcer';
import { type CfnTemplate, functionLogicalIds } from '../../local/iam/template-policies';
import { loadTemplate } from '../../local/iam/template-source';

const ROOT = join(__dirname, '..', '..');

jest.setTimeout(60_000);

/** The template with one action taken out of one function's role policies. */
function withoutGrant(template: CfnTemplate, handler: string, action: string): CfnTemplate {
  const copy = JSON.parse(JSON.stringify(template)) as CfnTemplate;
  const functionId = functionLogicalIds(copy).get(handler) as string;
  const role = copy.Resources[functionId]?.Properties?.Role as { 'Fn::GetAtt': string[] } | undefined;
  const roleId = role?.['Fn::GetAtt'][0];
  let removed = 0;
  for (const resource of Object.values(copy.Resources)) {
    const properties = resource.Properties as {
      Roles?: { Ref?: string }[];
      PolicyDocument?: { Statement: { Action: string | string[] }[] };
    };
    if (resource.Type !== 'AWS::IAM::Policy' || !properties.Roles?.some((r) => r.Ref === roleId)) continue;
    for (const statement of properties.PolicyDocument?.Statement ?? []) {
      const actions = [statement.Action].flat();
      if (!actions.includes(action)) continue;
      statement.Action = actions.filter((a) => a !== action);
      removed++;
    }
  }
  if (removed === 0) throw new Error(`${handler} has no ${action} grant to remove`);
  return copy;
}

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  readonly demo: { username: string; email: string; password: string };
  readonly stderr: string[];
}

function startStack(templateFile: string): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'e2e', 'support', 'stack-child.ts')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', LOCAL_IAM_TEMPLATE: templateFile },
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => stderr.push(line));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the stack exited with code ${code} while starting: ${stderr.join('\n')}`)),
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      const info = JSON.parse(line) as { url: string; demo: Child['demo'] };
      resolve({ process: child, url: info.url, demo: info.demo, stderr });
    });
  });
}

let stack: Child;

beforeAll(async () => {
  const { template } = await loadTemplate();
  const file = join(mkdtempSync(join(tmpdir(), 'support-access-iam-')), 'template.json');
  writeFileSync(file, JSON.stringify(withoutGrant(template, 'session-create', 'cognito-idp:AdminGetUser')));
  stack = await startStack(file);
}, 180_000);

afterAll(async () => {
  if (!stack) return;
  const exited = new Promise((resolve) => stack.process.once('exit', resolve));
  stack.process.stdin?.end();
  await exited;
});

const post = (path: string, body: unknown) =>
  fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: stack.url },
    body: JSON.stringify(body),
  });

async function waitForEmail(to: string): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const inbox = (await (await fetch(`${stack.url}/_local/inbox`)).json()) as { to: string }[];
    if (inbox.some((email) => email.to === to)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('a template without one grant', () => {
  it('fails the calls that need it: sign-in by username answers 503, and the log names function and action', async () => {
    const response = await post('/api/session', { username: stack.demo.username, password: stack.demo.password });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toBe('temporarily_unavailable');
    expect(stack.stderr.filter((line) => line.includes('IAM denied'))).toEqual([
      expect.stringMatching(
        /^\[local\] IAM denied session-create cognito-idp:AdminGetUser on arn:aws:cognito-idp:eu-west-1:000000000000:userpool\//,
      ),
    ]);
  });

  it("leaves the function's other calls working: sign-in by email address", async () => {
    const response = await post('/api/session', { username: stack.demo.email, password: stack.demo.password });
    expect(response.status).toBe(200);
  });

  it('leaves other functions working: a reset by username still emails the link (the worker keeps AdminGetUser)', async () => {
    expect((await post('/api/password-reset', { login: stack.demo.username })).status).toBe(202);
    expect(await waitForEmail(stack.demo.email)).toBe(true);
    const calls = (await (await fetch(`${stack.url}/_local/iam-calls`)).json()) as SeenCall[];
    expect(calls.filter((call) => !call.allowed)).toEqual([
      { handler: 'session-create', action: 'cognito-idp:AdminGetUser', allowed: false },
    ]);
    expect(calls).toContainEqual({
      handler: 'password-reset-worker',
      action: 'cognito-idp:AdminGetUser',
      allowed: true,
    });
  });
});
