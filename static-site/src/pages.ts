// What each page does. One small bundle per language serves all of them; `data-page` on <body>
// picks the part. Every word shown comes from the catalogue (./text), never from the API's English.

import { isLanguage } from '../../lambdas/definitions/languages';
import {
  applicableRules,
  type PasswordRule,
  passwordPolicy,
  unmetPasswordRules,
} from '../../lambdas/definitions/password-policy';
import { apiRoutes, pages } from '../../lambdas/definitions/routes';
import { callApi, errorText } from './api';
import { byId, clearFormError, isBusy, requireFields, setFieldError, showFormError, whileBusy } from './dom';
import { continueInteraction, rememberInteraction, showTools } from './interaction';
import { format, type ScriptKey } from './messages';
import { text } from './text';

/** Carries the username from the login page to the new-password page (not a secret). */
const USERNAME_KEY = 'support-access:username';

/** Rules worth listing up front; the others appear only when a password breaks them. */
const LISTED_RULES = new Set<PasswordRule>(['min_length', 'lowercase', 'uppercase', 'digit', 'symbol']);

/** The page's language, sent with requests that email the user, so the email speaks it too. */
function language(): { language?: string } {
  const lang = document.documentElement.lang;
  return isLanguage(lang) ? { language: lang } : {};
}

function submitButton(form: HTMLFormElement): HTMLButtonElement {
  return form.querySelector<HTMLButtonElement>('button[type="submit"]') as HTMLButtonElement;
}

export function ruleText(rule: PasswordRule): string {
  return format(text[`rule.${rule}` as ScriptKey], { min: passwordPolicy.minLength, max: passwordPolicy.maxLength });
}

/** A rule's text inside a sentence: "An uppercase letter (A-Z)" -> "an uppercase letter (A-Z)". */
function ruleInSentence(rule: PasswordRule): string {
  const words = ruleText(rule);
  return words.charAt(0).toLowerCase() + words.slice(1);
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
  }
  const interaction = rememberInteraction(location.search);
  if (interaction !== 'none') {
    notice.textContent = text[interaction === 'expired' ? 'login.toolExpired' : 'login.forTool'];
    notice.hidden = false;
  }
  // Already signed in: straight back to the tool.
  if (interaction === 'pending') void continueInteraction();
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
        sessionStorage.setItem(USERNAME_KEY, result.body.username ?? username.value.trim());
        location.assign(pages.newPassword.path);
      } else {
        location.assign(pages.signedIn.path);
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
    byId('sent-message').textContent = text['forgot.sent'];
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

export function resetPage(): void {
  // The token lives in the fragment (#token=...), which never reaches a server or a log. Opening
  // the page changes nothing: mail scanners that open links cannot spend them.
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  // On arrival the page reads from the top, as any page does; focus moves only after an action.
  if (!TOKEN.test(token)) {
    showState('invalid', false);
    return;
  }
  showState('ready', false);
  const confirm = byId<HTMLButtonElement>('confirm');
  confirm.addEventListener('click', async () => {
    if (isBusy(confirm)) return;
    clearFormError();
    const result = await whileBusy(confirm, () =>
      callApi('POST', apiRoutes.confirmReset.path, { token, ...language() }),
    );
    if (result.ok) {
      showState('sent');
      return;
    }
    const state = STATE_BY_ERROR[result.body.error ?? ''];
    if (state) showState(state);
    else showFormError(errorText(result));
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
      byId('new-link-message').textContent = text['reset.newLinkSent'];
      showState('new-link-sent');
    });
  }
}

export function newPasswordPage(): void {
  const form = byId<HTMLFormElement>('new-password-form');
  const password = byId<HTMLInputElement>('new-password');
  const repeat = byId<HTMLInputElement>('confirm-password');
  const list = byId('rules');
  const status = byId('rules-status');
  const username = sessionStorage.getItem(USERNAME_KEY) ?? undefined;
  if (username) byId<HTMLInputElement>('account-username').value = username;
  const items = applicableRules().map((rule) => {
    const item = document.createElement('li');
    item.dataset.rule = rule;
    list.append(item);
    return item;
  });
  let announced = -1;
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  const render = () => {
    const unmet = new Set(unmetPasswordRules(password.value, username));
    for (const item of items) {
      const rule = item.dataset.rule as PasswordRule;
      const met = !unmet.has(rule);
      item.hidden = met && !LISTED_RULES.has(rule);
      item.classList.toggle('met', met);
      // The state is in the words, not only the colour and the tick.
      item.textContent = `${ruleText(rule)}: ${met ? text['newPassword.ruleMet'] : text['newPassword.ruleUnmet']}`;
    }
    // Screen readers hear how many rules remain, once typing pauses and only when it changes.
    if (announceTimer) clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      if (password.value === '' || unmet.size === announced) return;
      announced = unmet.size;
      status.textContent =
        unmet.size === 0 ? text['newPassword.allMet'] : format(text['newPassword.remaining'], { count: unmet.size });
    }, 800);
  };
  render();
  password.addEventListener('input', render);
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
    const unmet = unmetPasswordRules(password.value, username);
    if (unmet.length > 0) {
      setFieldError(
        password,
        format(text['newPassword.stillNeeds'], { rules: unmet.map((rule) => ruleInSentence(rule)).join('; ') }),
      );
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
    const result = await whileBusy(button, () =>
      callApi('POST', apiRoutes.choosePassword.path, { newPassword: password.value }),
    );
    if (result.ok) {
      sessionStorage.removeItem(USERNAME_KEY);
      location.assign(pages.signedIn.path);
      return;
    }
    if (result.body.error === 'password_policy') {
      // The API lists the broken rules as { rule, text }; the page says them in its own language.
      const rules = (result.body.rules ?? [])
        .map((entry) => (typeof entry === 'string' ? entry : entry.rule))
        .filter((rule): rule is PasswordRule => `rule.${rule}` in text);
      setFieldError(
        password,
        rules.length > 0
          ? format(text['newPassword.stillNeeds'], { rules: rules.map((rule) => ruleInSentence(rule)).join('; ') })
          : errorText(result),
      );
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
  void callApi<{ username?: string }>('GET', apiRoutes.getSession.path).then((result) => {
    if (result.ok && result.body.username) {
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
