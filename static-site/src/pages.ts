// What each page does. One small bundle serves all of them; `data-page` on <body> picks the part.

import { isLanguage } from '../../lambdas/definitions/languages';
import { applicableRules, passwordRuleText, unmetPasswordRules } from '../../lambdas/definitions/password-policy';
import { apiRoutes, pages } from '../../lambdas/definitions/routes';
import { callApi } from './api';
import { byId, clearFormError, requireFields, setFieldError, showFormError, whileBusy } from './dom';

/** Carries the username from the login page to the new-password page (not a secret). */
const USERNAME_KEY = 'support-access:username';

/** Rules worth listing up front; the others appear only when a password breaks them. */
const LISTED_RULES = new Set(['min_length', 'lowercase', 'uppercase', 'digit', 'symbol']);

/** The page's language, sent with requests that email the user, so the email speaks it too. */
function language(): { language?: string } {
  const lang = document.documentElement.lang;
  return isLanguage(lang) ? { language: lang } : {};
}

function submitButton(form: HTMLFormElement): HTMLButtonElement {
  return form.querySelector<HTMLButtonElement>('button[type="submit"]') as HTMLButtonElement;
}

export function loginPage(): void {
  const form = byId<HTMLFormElement>('login-form');
  const username = byId<HTMLInputElement>('username');
  const password = byId<HTMLInputElement>('password');
  const notice = byId('notice');
  const params = new URLSearchParams(location.search);
  if (params.has('signed-out')) {
    notice.textContent = 'You have signed out.';
    notice.hidden = false;
  } else if (params.has('expired')) {
    notice.textContent = 'Your session has ended. Sign in again to continue.';
    notice.hidden = false;
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormError();
    if (
      !requireFields([
        [username, 'Enter your username or email address.'],
        [password, 'Enter your password.'],
      ])
    )
      return;
    const result = await whileBusy(submitButton(form), () =>
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
    showFormError(result.body.message ?? 'Signing in failed. Try again.');
  });
}

export function forgotPage(): void {
  const form = byId<HTMLFormElement>('forgot-form');
  const login = byId<HTMLInputElement>('login');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormError();
    if (!requireFields([[login, 'Enter your username or the email address of your account.']])) return;
    const result = await whileBusy(submitButton(form), () =>
      callApi('POST', apiRoutes.requestReset.path, { login: login.value.trim(), ...language() }),
    );
    if (!result.ok) {
      if (result.body.error === 'invalid_request') setFieldError(login, result.body.message);
      showFormError(result.body.message ?? 'The request could not be sent. Try again.');
      return;
    }
    byId('ask').hidden = true;
    byId('sent').hidden = false;
    const heading = byId('heading');
    heading.textContent = 'Check your email';
    byId('sent-message').textContent = result.body.message ?? '';
    heading.focus();
  });
}

type ResetState = 'ready' | 'sent' | 'used' | 'expired' | 'replaced' | 'invalid' | 'new-link-sent';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function showState(state: ResetState): void {
  for (const section of document.querySelectorAll<HTMLElement>('section[data-state]')) {
    section.hidden = section.dataset.state !== state;
  }
  const heading = document.querySelector<HTMLElement>(`section[data-state="${state}"] h1`);
  if (heading) {
    document.title = `${heading.textContent ?? ''} · ${document.title.split(' · ').pop() ?? ''}`;
    heading.focus();
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
  if (!TOKEN.test(token)) {
    showState('invalid');
    return;
  }
  showState('ready');
  const confirm = byId<HTMLButtonElement>('confirm');
  confirm.addEventListener('click', async () => {
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
    else showFormError(result.body.message ?? 'Something went wrong. Your link still works: try again in a minute.');
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-new-link]')) {
    button.addEventListener('click', async () => {
      clearFormError();
      const result = await whileBusy(button, () =>
        callApi('POST', apiRoutes.requestReset.path, { token, ...language() }),
      );
      if (!result.ok) {
        showFormError(result.body.message ?? 'The request could not be sent. Try again.');
        return;
      }
      byId('new-link-message').textContent = result.body.message ?? '';
      showState('new-link-sent');
    });
  }
}

export function newPasswordPage(): void {
  const form = byId<HTMLFormElement>('new-password-form');
  const password = byId<HTMLInputElement>('new-password');
  const repeat = byId<HTMLInputElement>('confirm-password');
  const list = byId('rules');
  const username = sessionStorage.getItem(USERNAME_KEY) ?? undefined;
  if (username) byId<HTMLInputElement>('account-username').value = username;
  const items = applicableRules().map((rule) => {
    const item = document.createElement('li');
    item.dataset.rule = rule;
    list.append(item);
    return item;
  });
  const render = () => {
    const unmet = new Set(unmetPasswordRules(password.value, username));
    for (const item of items) {
      const rule = item.dataset.rule as keyof typeof passwordRuleText;
      const met = !unmet.has(rule);
      item.hidden = met && !LISTED_RULES.has(rule);
      item.classList.toggle('met', met);
      // The state is in the words, not only the colour and the tick.
      item.textContent = `${passwordRuleText[rule]}: ${met ? 'done' : 'not yet'}`;
    }
  };
  render();
  password.addEventListener('input', render);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormError();
    if (
      !requireFields([
        [password, 'Enter a new password.'],
        [repeat, 'Repeat the new password.'],
      ])
    )
      return;
    const unmet = unmetPasswordRules(password.value, username);
    if (unmet.length > 0) {
      setFieldError(
        password,
        `The password still needs: ${unmet.map((r) => passwordRuleText[r].toLowerCase()).join('; ')}.`,
      );
      password.focus();
      return;
    }
    setFieldError(password, undefined);
    if (repeat.value !== password.value) {
      setFieldError(repeat, 'The two passwords are different. Type the same password twice.');
      repeat.focus();
      return;
    }
    setFieldError(repeat, undefined);
    const result = await whileBusy(submitButton(form), () =>
      callApi('POST', apiRoutes.choosePassword.path, { newPassword: password.value }),
    );
    if (result.ok) {
      sessionStorage.removeItem(USERNAME_KEY);
      location.assign(pages.signedIn.path);
      return;
    }
    if (result.body.error === 'challenge_expired') {
      showFormError(result.body.message ?? 'This step has expired. Sign in again.');
      return;
    }
    if (result.body.error === 'password_policy') setFieldError(password, result.body.message);
    showFormError(result.body.message ?? 'The password could not be saved. Try again.');
  });
}

export function signedInPage(): void {
  const who = byId('who');
  const signOut = byId<HTMLButtonElement>('sign-out');
  void callApi<{ username?: string }>('GET', apiRoutes.getSession.path).then((result) => {
    if (result.ok && result.body.username) {
      who.textContent = `You are signed in as ${result.body.username}.`;
    } else if (result.status === 401) {
      location.replace(`${pages.login.path}?expired`);
    } else {
      who.textContent = '';
      showFormError(result.body.message ?? 'We could not check your session. Reload the page.');
    }
  });
  signOut.addEventListener('click', async () => {
    clearFormError();
    const result = await whileBusy(signOut, () => callApi('DELETE', apiRoutes.deleteSession.path));
    if (result.ok) location.assign(`${pages.login.path}?signed-out`);
    else showFormError(result.body.message ?? 'Signing out failed. Try again.');
  });
}
