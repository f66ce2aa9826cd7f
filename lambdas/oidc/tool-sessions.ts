// For handlers outside the provider (sign-out, password reset): end the person's sessions with
// the tools too. Built on first use only, so those handlers start no slower when no tool is involved.
import type { Log } from '../domain/ports';
import { createProviderRuntime, type ProviderRuntime } from './runtime';

let runtime: ProviderRuntime | undefined;

/**
 * Ends the person's provider sessions and grants and sends back-channel logout tokens. Never
 * throws: the caller's own work (a sign-out, a new password) is done by then and stands; a
 * failure is logged as an error, because a tool may keep a session it should have lost.
 */
export async function endToolSessions(username: string, log: Log): Promise<void> {
  try {
    runtime ??= createProviderRuntime();
    await runtime.endSessionsOf(username, log);
  } catch (error) {
    log.error('ending the tool sessions failed', { error });
  }
}
