// Signing in for a tool (the OpenID Provider's login interaction). The provider sends the browser
// to the login page with ?interaction=<uid>; the uid is kept for this tab, and once a session
// exists (now, or after sign-in and a forced new password) the provider is told and the browser
// follows it back to the tool. Also lists the tools to continue to after a direct sign-in.
import { INTERACTION_PARAM, interactionFinishPath, TOOLS_PATH } from '../../lambdas/definitions/oidc';
import { format } from './messages';
import { text } from './text';

const INTERACTION_KEY = 'support-access:interaction';
const UID = /^[\w-]{1,64}$/;

export type InteractionState = 'none' | 'pending' | 'expired';

/** On the login page: remembers the interaction in the address, if any, for this tab. */
export function rememberInteraction(search: string): InteractionState {
  const value = new URLSearchParams(search).get(INTERACTION_PARAM);
  if (value === 'expired') {
    sessionStorage.removeItem(INTERACTION_KEY);
    return 'expired';
  }
  if (value && UID.test(value)) {
    sessionStorage.setItem(INTERACTION_KEY, value);
    return 'pending';
  }
  return sessionStorage.getItem(INTERACTION_KEY) ? 'pending' : 'none';
}

/**
 * Finishes a pending interaction with the current session and goes back to the tool. Resolves to
 * false when there is none, or when the person must sign in first (the uid is kept for then).
 */
export async function continueInteraction(): Promise<boolean> {
  const uid = sessionStorage.getItem(INTERACTION_KEY);
  if (!uid || !UID.test(uid)) return false;
  let response: Response;
  try {
    response = await fetch(interactionFinishPath(uid), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  } catch {
    return false;
  }
  if (response.status === 401) return false;
  sessionStorage.removeItem(INTERACTION_KEY);
  const body = (await response.json().catch(() => ({}))) as { redirectTo?: string };
  if (response.ok && typeof body.redirectTo === 'string' && body.redirectTo.startsWith(location.origin)) {
    location.assign(body.redirectTo);
    return true;
  }
  return false;
}

/** The signed-in page's "Continue to …" links: tools registered with a home URL. */
export async function showTools(list: HTMLUListElement): Promise<void> {
  try {
    const response = await fetch(TOOLS_PATH, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!response.ok) return;
    const { tools = [] } = (await response.json()) as { tools?: { name: string; url: string }[] };
    for (const tool of tools) {
      if (!/^https?:\/\//.test(tool.url)) continue;
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = tool.url;
      link.className = 'button';
      link.textContent = format(text['signedIn.continueTo'], { name: tool.name });
      item.append(link);
      list.append(item);
    }
    list.hidden = tools.length === 0;
  } catch {
    // The list is a convenience: without it the page still says who is signed in.
  }
}
