// What each page does. One small bundle per language serves all of them; `data-page` on <body>
// picks the part. Every word shown comes from the catalogue (./text), never from the API's English.

import { isLanguage } from '../../lambdas/definitions/languages';
import {
  applicableRules,
  checkedOnSaveRules,
  type PasswordContext,
  type PasswordRule,
  passwordPolicy,
  unmetPasswordRules,
} from '../../lambdas/definitions/password-policy';
import { rateLimitDefaults } from '../../lambdas/definitions/rate-limits';
import { apiRoutes, pages } from '../../lambdas/definitions/routes';
import { callApi, errorText } from './api';
import {
  byId,
  clearFormError,
  fitBusyButtons,
  isBusy,
  requireFields,
  setFieldError,
  showFormError,
  whileBusy,
} from './dom';
import { continueInteraction, rememberInteraction, showTools } from './interaction';
import { format, type ScriptKey } from './messages';
import { loginWithPasskey } from './passkeys';
import { text } from './text';

/** Carries the username from the login page to the new-password page (not a secret). */
const USERNAME_KEY = 'support-access:username';

/**
 * Every "we sent a link" message says how many links an account can get and what to do when none
 * comes: the answer stays the same whether or not the limit was reached (or the account exists).
 */
function limitNote(): string {
  const { limit, windowSeconds } = rateLimitDefaults.resetEmailsPerAccount;
  return format(text['reset.limitNote'], { count: limit, minutes: Math.round(windowSeconds / 60) });
}

/** The portal's name as the page shows it (the build puts the configured name there). */
function portalName(): string {
  return document.getElementById('portal-name')?.textContent?.trim() ?? '';
}

/** The page's language, sent with requests that email the user, so the email speaks it too. */
function language(): { language?: string } {
  const lang = document.documentElement.lang;
  return isLanguage(lang) ? { language: lang } : {};
}

function submitButton(form: HTMLFormElement): HTMLButtonElement {
  return form.querySelector<HTMLButtonElement>('button[type="submit"]') as HTMLButtonElement;
}

export function ruleText(rule: PasswordRule): string {
  return format(text[`rule.${rule}` as ScriptKey], {
    min: passwordPolicy.minLength,
    max: passwordPolicy.maxLength,
    portal: portalName(),
  });
}

/** A rule's text inside a sentence: "An uppercase letter (A-Z)" -> "an uppercase letter (A-Z)". */
function ruleInSentence(rule: PasswordRule): string {
  const words = ruleText(rule);
  return words.charAt(0).toLowerCase() + words.slice(1);
}

/** Where a right password leads: the second step when the account has a factor (or must set one up). */
function afterPassword(challenge: string | undefined): string {
  if (challenge === 'SECOND_FACTOR') return pages.secondStep.path;
  if (challenge === 'SECOND_FACTOR_SETUP') return `${pages.secondStep.path}?setup`;
  return pages.signedIn.path;
}

export function loginPage(): void {
  const form = byId<HTMLFormElement>('login-form');
  const username = byId<HTMLInputElement>('username');
  const password = byId<HTMLInputElement>('password');
  const notice = byId('notice');
  const params = new URLSearchParams(location.search);
  if (params.has('signed-out')) {
    notice.textContent = text['login.signedOut'];
    notice.hidden = false;
  } else if (params.has('expired')) {
    notice.textContent = text['login.sessionEnded'];
    notice.hidden = false;
  } else if (params.has('reauthenticate')) {
    notice.textContent = text['login.reauthenticate'];
    notice.hidden = false;
  }
  const interaction = rememberInteraction(location.search);
  if (interaction !== 'none') {
    notice.textContent = text[interaction === 'expired' ? 'login.toolExpired' : 'login.forTool'];
    notice.hidden = false;
  }
  // Already signed in: straight back to the tool.
  if (interaction === 'pending') void continueInteraction();
  // A passkey signs in as the password does, and goes on the same way (signed-in page, then the tool).
  loginWithPasskey(notice, (challenge) => location.assign(afterPassword(challenge)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = submitButton(form);
    if (isBusy(button)) return;
    clearFormError();
    if (
      !requireFields([
        [username, text['login.needUsername']],
        [password, text['login.needPassword']],
      ])
    )
      return;
    const result = await whileBusy(button, () =>
      callApi<{ challenge?: string; username?: string }>('POST', apiRoutes.createSession.path, {
        username: username.value.trim(),
        password: password.value,
      }),
    );
    if (result.ok) {
      if (result.body.challenge === 'NEW_PASSWORD_REQUIRED') {
        // Only a head start for the new-password page, which asks the API on load anyway.
        sessionStorage.setItem(USERNAME_KEY, result.body.username ?? username.value.trim());
        location.assign(pages.newPassword.path);
      } else {
        location.assign(afterPassword(result.body.challenge));
      }
      return;
    }
    if (result.status === 401) password.value = '';
    showFormError(errorText(result));
  });
}

export function forgotPage(): void {
  const form = byId<HTMLFormElement>('forgot-form');
  const login = byId<HTMLInputElement>('login');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = submitButton(form);
    if (isBusy(button)) return;
    clearFormError();
    if (!requireFields([[login, text['forgot.needLogin']]])) return;
    const result = await whileBusy(button, () =>
      callApi('POST', apiRoutes.requestReset.path, { login: login.value.trim(), ...language() }),
    );
    if (!result.ok) {
      if (result.body.error === 'invalid_request') setFieldError(login, errorText(result));
      showFormError(errorText(result));
      return;
    }
    byId('ask').hidden = true;
    byId('sent').hidden = false;
    const heading = byId('heading');
    heading.textContent = text['forgot.sentHeading'];
    document.title = `${text['forgot.sentHeading']} · ${document.title.split(' · ').pop() ?? ''}`;
    byId('sent-message').textContent = `${text['forgot.sent']} ${limitNote()}`;
    heading.focus();
  });
}

type ResetState = 'ready' | 'sent' | 'used' | 'expired' | 'replaced' | 'invalid' | 'new-link-sent';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function showState(state: ResetState, focus = true): void {
  for (const section of document.querySelectorAll<HTMLElement>('section[data-state]')) {
    section.hidden = section.dataset.state !== state;
  }
  const heading = document.querySelector<HTMLElement>(`section[data-state="${state}"] h1`);
  if (heading) {
    document.title = `${heading.textContent ?? ''} · ${document.title.split(' · ').pop() ?? ''}`;
    if (focus) heading.focus();
  }
}

const STATE_BY_ERROR: Record<string, ResetState> = {
  link_used: 'used',
  link_expired: 'expired',
  link_replaced: 'replaced',
  link_invalid: 'invalid',
};

/** The token of the link in the address bar, or '' (the fragment never reaches a server or a log). */
function tokenInAddress(): string {
  return new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
}

/**
 * Once a link is spent or refused, the address bar forgets it: Back, a bookmark or a shared screen
 * no longer carry it. The page keeps it in memory only to ask a new link from it.
 */
function forgetTokenInAddress(): void {
  if (location.hash) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}

export function resetPage(): void {
  // The token lives in the fragment (#token=...). Opening the page changes nothing: mail scanners
  // that open links cannot spend them.
  let token = '';
  const arrive = (focus: boolean) => {
    clearFormError();
    token = tokenInAddress();
    if (!TOKEN.test(token)) {
      forgetTokenInAddress();
      showState('invalid', focus);
      return;
    }
    showState('ready', focus);
    fitBusyButtons(document);
  };
  // On arrival the page reads from the top, as any page does; focus moves only after an action.
  arrive(false);
  // A newer link pasted into this tab changes only the fragment: the page starts over with it.
  window.addEventListener('hashchange', () => {
    if (location.hash) arrive(true);
  });

  const confirm = byId<HTMLButtonElement>('confirm');
  confirm.addEventListener('click', async () => {
    if (isBusy(confirm)) return;
    clearFormError();
    const used = token;
    const result = await whileBusy(confirm, () =>
      callApi('POST', apiRoutes.confirmReset.path, { token: used, ...language() }),
    );
    if (used !== token) return; // another link arrived meanwhile; its page is showing
    if (result.ok) {
      forgetTokenInAddress();
      showState('sent');
      return;
    }
    const state = STATE_BY_ERROR[result.body.error ?? ''];
    if (state) {
      forgetTokenInAddress();
      showState(state);
      fitBusyButtons(document);
    } else showFormError(errorText(result));
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-new-link]')) {
    button.addEventListener('click', async () => {
      if (isBusy(button)) return;
      clearFormError();
      const result = await whileBusy(button, () =>
        callApi('POST', apiRoutes.requestReset.path, { token, ...language() }),
      );
      if (!result.ok) {
        showFormError(errorText(result));
        return;
      }
      byId('new-link-message').textContent = `${text['reset.newLinkSent']} ${limitNote()}`;
      showState('new-link-sent');
    });
  }
}

export function newPasswordPage(): void {
  const form = byId<HTMLFormElement>('new-password-form');
  const password = byId<HTMLInputElement>('new-password');
  const repeat = byId<HTMLInputElement>('confirm-password');
  const list = byId('rules');
  // The page's one live region for the rules: what it says always matches the list.
  const status = byId('rules-status');
  const context: { username?: string; email?: string; portalName: string } = { portalName: portalName() };
  const stored = sessionStorage.getItem(USERNAME_KEY);
  if (stored) context.username = stored;
  /** Rules the server refused for this exact password (it alone checks common passwords). */
  let refused: { password: string; rules: PasswordRule[] } | undefined;

  const items = applicableRules().map((rule) => {
    const item = document.createElement('li');
    item.dataset.rule = rule;
    list.append(item);
    return item;
  });
  const unmetNow = (): PasswordRule[] => {
    const unmet = unmetPasswordRules(password.value, context as PasswordContext);
    for (const rule of refused?.password === password.value ? refused.rules : []) {
      if (!unmet.includes(rule)) unmet.push(rule);
    }
    return unmet;
  };
  const stillNeeds = (unmet: readonly PasswordRule[]) =>
    format(text['newPassword.stillNeeds'], { rules: unmet.map((rule) => ruleInSentence(rule)).join('; ') });

  let announced = '';
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  const announce = (message: string) => {
    if (announceTimer) clearTimeout(announceTimer);
    announced = message;
    status.textContent = message;
  };
  const render = () => {
    const unmet = new Set(unmetNow());
    for (const item of items) {
      const rule = item.dataset.rule as PasswordRule;
      const met = !unmet.has(rule);
      // Every rule is listed from the start; the ones only the server knows say when they are checked.
      const state =
        checkedOnSaveRules.has(rule) && met
          ? text['newPassword.ruleOnSave']
          : met
            ? text['newPassword.ruleMet']
            : checkedOnSaveRules.has(rule)
              ? text['newPassword.ruleRefused']
              : text['newPassword.ruleUnmet'];
      item.classList.toggle('met', met && !checkedOnSaveRules.has(rule));
      item.classList.toggle('pending', met && checkedOnSaveRules.has(rule));
      // The state is in the words, not only the colour and the tick.
      item.textContent = `${ruleText(rule)}: ${state}`;
    }
    // Screen readers hear the summary once typing pauses, and only when it changes.
    if (announceTimer) clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      if (password.value === '') return;
      const message =
        unmet.size === 0 ? text['newPassword.allMet'] : format(text['newPassword.remaining'], { count: unmet.size });
      if (message !== announced) announce(message);
    }, 800);
  };
  render();
  password.addEventListener('input', () => {
    // What the server said was about the password it saw; a changed one is checked afresh.
    if (password.getAttribute('aria-invalid') === 'true' && unmetNow().length === 0) setFieldError(password, undefined);
    render();
  });

  // Is a temporary-password sign-in waiting for this page? Say what to do if not, before anyone
  // types two passwords for nothing; a signed-in person belongs on the signed-in page.
  const checkState = async () => {
    const result = await callApi<{ username?: string; challenge?: string; emailLocalPart?: string }>(
      'GET',
      apiRoutes.getSession.path,
    );
    if (result.ok && result.body.challenge === 'NEW_PASSWORD_REQUIRED') {
      if (result.body.username) {
        context.username = result.body.username;
        byId<HTMLInputElement>('account-username').value = result.body.username;
      }
      if (result.body.emailLocalPart) context.email = result.body.emailLocalPart;
      render();
    } else if (result.ok && result.body.username) {
      location.replace(pages.signedIn.path);
    } else if (result.status === 401) {
      sessionStorage.removeItem(USERNAME_KEY);
      byId('choose').hidden = true;
      byId('none').hidden = false;
      const heading = byId('heading');
      heading.textContent = heading.dataset.none ?? '';
      document.title = `${heading.textContent} · ${document.title.split(' · ').pop() ?? ''}`;
      heading.focus();
    }
    // Anything else (the network): the form stays; saving will say what went wrong.
  };
  void checkState();
  // Back after the password was changed may show this page from the browser's cache: ask again.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) void checkState();
  });
  if (context.username) byId<HTMLInputElement>('account-username').value = context.username;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = submitButton(form);
    if (isBusy(button)) return;
    clearFormError();
    if (
      !requireFields([
        [password, text['newPassword.needPassword']],
        [repeat, text['newPassword.needRepeat']],
      ])
    )
      return;
    const unmet = unmetNow();
    if (unmet.length > 0) {
      setFieldError(password, stillNeeds(unmet));
      announce(stillNeeds(unmet));
      password.focus();
      return;
    }
    setFieldError(password, undefined);
    if (repeat.value !== password.value) {
      setFieldError(repeat, text['newPassword.different']);
      repeat.focus();
      return;
    }
    setFieldError(repeat, undefined);
    const sent = password.value;
    const result = await whileBusy(button, () =>
      callApi<{ challenge?: string }>('POST', apiRoutes.choosePassword.path, { newPassword: sent }),
    );
    if (result.ok) {
      sessionStorage.removeItem(USERNAME_KEY);
      location.assign(afterPassword(result.body.challenge));
      return;
    }
    if (result.body.error === 'password_policy') {
      // The API lists the broken rules as { rule, text }; the page says them in its own language,
      // in the list, beside the field and in the live region: one account of what is missing.
      const rules = (result.body.rules ?? [])
        .map((entry) => (typeof entry === 'string' ? entry : entry.rule))
        .filter((rule): rule is PasswordRule => `rule.${rule}` in text);
      refused = { password: sent, rules };
      render();
      const message = rules.length > 0 ? stillNeeds(unmetNow()) : errorText(result);
      setFieldError(password, message);
      announce(message);
      password.focus();
      return;
    }
    showFormError(errorText(result));
  });
}

export function signedInPage(): void {
  const who = byId('who');
  const signOut = byId<HTMLButtonElement>('sign-out');
  // Signed in for a tool: back to it. Otherwise offer the tools there are.
  void continueInteraction().then((continuing) => {
    if (continuing) who.textContent = text['signedIn.toTool'];
    else void showTools(byId<HTMLUListElement>('tools'));
  });
  void callApi<{ username?: string; challenge?: string }>('GET', apiRoutes.getSession.path).then((result) => {
    if (result.ok && result.body.challenge === 'NEW_PASSWORD_REQUIRED') {
      // Half-way through a temporary-password sign-in: the next step is choosing a password.
      location.replace(pages.newPassword.path);
    } else if (result.ok && result.body.username) {
      who.textContent = format(text['signedIn.as'], { username: result.body.username });
    } else if (result.status === 401) {
      location.replace(`${pages.login.path}?expired`);
    } else {
      who.textContent = '';
      showFormError(errorText(result));
    }
  });
  signOut.addEventListener('click', async () => {
    if (isBusy(signOut)) return;
    clearFormError();
    const result = await whileBusy(signOut, () => callApi('DELETE', apiRoutes.deleteSession.path));
    if (result.ok) location.assign(`${pages.login.path}?signed-out`);
    else showFormError(errorText(result));
  });
}
