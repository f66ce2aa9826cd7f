// The second step of signing in, the required set-up of an authenticator, and the account page.
// Every word comes from the catalogue; the QR code is an image the API drew (no third party).
import { apiRoutes, pages } from '../../lambdas/definitions/routes';
import { type ApiResult, callApi, errorText } from './api';
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
import { format } from './messages';
import {
  type AccountPasskeys,
  accountPasskeys,
  browserSupportsWebAuthn,
  secondStepOptions,
  setupWithPasskey,
  tell,
} from './passkeys';
import { text } from './text';

function showState(state: string): void {
  for (const section of document.querySelectorAll<HTMLElement>('section[data-state]')) {
    section.hidden = section.dataset.state !== state;
  }
  const heading = document.querySelector<HTMLElement>(`section[data-state="${state}"] h1`);
  if (heading) document.title = `${heading.textContent ?? ''} · ${document.title.split(' · ').pop() ?? ''}`;
}

function focusHeading(state: string): void {
  document.querySelector<HTMLElement>(`section[data-state="${state}"] h1`)?.focus();
}

function renderCodes(list: HTMLElement, codes: readonly string[]): void {
  list.replaceChildren(
    ...codes.map((code) => {
      const item = document.createElement('li');
      const value = document.createElement('code');
      value.textContent = code;
      item.append(value);
      return item;
    }),
  );
  list.hidden = false;
}

/**
 * The authenticator set-up: the QR code, the secret written out, and the first code. Calls
 * `done` with the recovery codes the confirmation answers.
 */
async function totpSetup(area: HTMLElement, done: (codes: string[]) => void): Promise<void> {
  const start = await callApi<{ secret?: string; qrCode?: string }>('POST', apiRoutes.startTotp.path, {});
  if (!start.ok || !start.body.secret || !start.body.qrCode) {
    if (start.status === 401) location.replace(`${pages.login.path}?expired`);
    else showFormError(errorText(start));
    return;
  }
  const steps = document.createElement('ol');
  const scan = document.createElement('li');
  scan.textContent = text['setup.scan'];
  const image = document.createElement('img');
  image.src = start.body.qrCode;
  image.alt = text['setup.qrAlt'];
  image.width = 200;
  image.height = 200;
  image.className = 'qr';
  const manual = document.createElement('p');
  manual.textContent = text['setup.manual'];
  const secret = document.createElement('code');
  secret.className = 'secret';
  secret.textContent = (start.body.secret.match(/.{1,4}/g) ?? []).join(' ');
  scan.append(image, manual, secret);
  const type = document.createElement('li');
  type.textContent = text['setup.typeCode'];
  steps.append(scan, type);

  const form = codeForm({
    id: 'setup-code',
    label: text['setup.codeLabel'],
    submit: text['setup.confirm'],
    primary: true,
    path: apiRoutes.confirmTotp.path,
    accepted: (result: ApiResult<{ recoveryCodes?: string[] }>) => {
      if (!result.ok || !result.body.recoveryCodes) return false;
      done(result.body.recoveryCodes);
      return true;
    },
  });
  area.replaceChildren(steps, form);
}

/**
 * A form asking one authenticator code and posting it to `path`. `accepted` takes the answer and
 * says whether it was a success; otherwise a wrong code is marked at the field and every failure
 * is said in the alert region.
 */
function codeForm<T>(options: {
  id: string;
  label: string;
  submit: string;
  primary: boolean;
  path: string;
  accepted: (result: ApiResult<T>) => boolean | Promise<boolean>;
}): HTMLFormElement {
  const { id } = options;
  const form = document.createElement('form');
  form.noValidate = true;
  form.innerHTML =
    `<div class="field"><label for="${id}"></label>` +
    `<input id="${id}" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="8" required aria-describedby="${id}-error">` +
    `<p id="${id}-error" class="field-error" hidden></p></div>` +
    `<div class="actions"><button type="submit"${options.primary ? ' class="primary"' : ''}></button></div>`;
  (form.querySelector('label') as HTMLLabelElement).textContent = options.label;
  const input = form.querySelector('input') as HTMLInputElement;
  const button = form.querySelector('button') as HTMLButtonElement;
  button.textContent = options.submit;
  button.dataset.busyText = text['setup.busy'];
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (isBusy(button)) return;
    clearFormError();
    if (!requireFields([[input, text['setup.needCode']]])) return;
    const result = await whileBusy(button, () => callApi<T>('POST', options.path, { code: input.value.trim() }));
    if (await options.accepted(result)) return;
    if (result.body.error === 'second_factor_invalid') setFieldError(input, errorText(result));
    showFormError(errorText(result));
  });
  return form;
}

export function secondStepPage(): void {
  if (new URLSearchParams(location.search).has('setup')) {
    showState('setup');
    // A passkey is offered first; its first one finishes the sign-in (no recovery codes to keep).
    setupWithPasskey(() => location.assign(pages.signedIn.path));
    void totpSetup(byId('setup-area'), (codes) => {
      renderCodes(byId('recovery-list'), codes);
      showState('codes');
      focusHeading('codes');
    });
    return;
  }
  void verify();
}

/**
 * The second step after a right password. The account's passkey comes first when it has one (it
 * cannot be phished); the code form stays for the authenticator app, or becomes the way to a
 * recovery code when there is no app.
 */
async function verify(): Promise<void> {
  const offer = await secondStepOptions();
  if (offer === 'expired') {
    location.replace(`${pages.login.path}?expired`);
    return;
  }
  const form = byId<HTMLFormElement>('verify-form');
  const input = byId<HTMLInputElement>('code');
  const toggle = byId<HTMLButtonElement>('use-recovery');
  const lead = byId('verify-lead');
  const notice = byId('notice');
  const hasTotp = offer.methods.includes('totp');
  const hasRecovery = offer.methods.includes('recovery');
  const passkey = offer.passkey && browserSupportsWebAuthn() ? offer.passkey : undefined;
  let method: 'totp' | 'recovery' = hasTotp ? 'totp' : 'recovery';
  const codeLead = () => (passkey ? text['secondStep.codeLeadOr'] : text['secondStep.codeLead']);
  const showMethod = () => {
    const recovery = method === 'recovery';
    byId('code-label').textContent = recovery ? text['secondStep.recoveryLabel'] : text['secondStep.codeLabel'];
    lead.textContent = recovery ? text['secondStep.recoveryLead'] : codeLead();
    toggle.textContent = recovery ? text['secondStep.useCode'] : text['secondStep.useRecoveryAgain'];
    input.inputMode = recovery ? 'text' : 'numeric';
    input.autocomplete = recovery ? 'off' : 'one-time-code';
  };

  if (passkey) {
    // The passkey is the primary way; the code form below it keeps a plain button.
    byId('verify-heading').textContent = text['secondStep.passkeyHeading'];
    byId('verify-cancel').hidden = true;
    (form.querySelector('button[type="submit"]') as HTMLButtonElement).classList.remove('primary');
    byId('passkey-block').hidden = false;
    byId('passkey-or').hidden = !hasTotp && !hasRecovery;
  } else if (offer.passkey) {
    // The account has passkeys but this browser cannot use them: the codes, if any, or what to do.
    if (!hasTotp && !hasRecovery) {
      byId('verify-heading').textContent = text['secondStep.passkeyHeading'];
      showFormError(text['secondStep.passkeyUnsupported']);
    }
  }
  // With the app, its code form shows; without it, a recovery code is the fallback behind a link.
  const formShown = hasTotp || (!passkey && hasRecovery);
  form.hidden = !formShown;
  lead.hidden = !formShown;
  toggle.hidden = !hasRecovery || (!hasTotp && formShown);
  if (!hasTotp && hasRecovery) {
    method = 'recovery';
    toggle.textContent = text['secondStep.useRecoveryAgain'];
  }
  if (formShown) showMethod();
  showState('verify');

  const usePasskey = byId<HTMLButtonElement>('use-passkey');
  if (passkey) {
    fitBusyButtons(byId('passkey-block'));
    usePasskey.addEventListener('click', async () => {
      if (isBusy(usePasskey)) return;
      clearFormError();
      notice.hidden = true;
      await whileBusy(usePasskey, async () => {
        const outcome = await passkey();
        if ('failure' in outcome) {
          if (outcome.failure.status === 401) location.replace(`${pages.login.path}?expired`);
          else showFormError(errorText(outcome.failure));
          return;
        }
        if ('cancelled' in outcome) {
          tell(
            notice,
            formShown || hasRecovery ? text['secondStep.passkeyCancelled'] : text['secondStep.passkeyCancelledOnly'],
          );
          return;
        }
        if ('failed' in outcome) {
          showFormError(text['secondStep.passkeyFailed']);
          return;
        }
        offer.spend();
        const result = await callApi('POST', apiRoutes.secondFactor.path, {
          method: 'passkey',
          response: outcome.answer,
        });
        if (result.ok) location.assign(pages.signedIn.path);
        else if (result.body.error === 'second_step_expired') location.replace(`${pages.login.path}?expired`);
        else showFormError(errorText(result));
      });
    });
  }

  toggle.addEventListener('click', () => {
    if (form.hidden) {
      // No app: the link opens the recovery-code form.
      form.hidden = false;
      lead.hidden = false;
      toggle.hidden = true;
      method = 'recovery';
    } else method = method === 'totp' ? 'recovery' : 'totp';
    showMethod();
    input.value = '';
    setFieldError(input, undefined);
    input.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]') as HTMLButtonElement;
    if (isBusy(button)) return;
    clearFormError();
    notice.hidden = true;
    if (!requireFields([[input, text['secondStep.needCode']]])) return;
    const result = await whileBusy(button, () =>
      callApi('POST', apiRoutes.secondFactor.path, { method, code: input.value.trim() }),
    );
    if (result.ok) {
      location.assign(pages.signedIn.path);
      return;
    }
    if (result.body.error === 'second_step_expired') {
      location.replace(`${pages.login.path}?expired`);
      return;
    }
    input.value = '';
    if (result.body.error === 'second_factor_invalid') setFieldError(input, errorText(result));
    showFormError(errorText(result));
  });
}

interface Overview extends AccountPasskeys {
  username?: string;
  factors?: { totp: boolean; recoveryCodesLeft: number; passkeys: number };
  sessions?: { current: boolean; createdAt: number; expiresAt: number }[];
}

export function accountPage(): void {
  const notice = byId('notice');
  const say = (message: string) => {
    notice.textContent = message;
    notice.hidden = false;
    notice.focus();
  };
  const when = (ms: number) =>
    new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

  const load = async (): Promise<void> => {
    const result = await callApi<Overview>('GET', apiRoutes.getAccount.path);
    if (result.status === 401) {
      location.replace(`${pages.login.path}?expired`);
      return;
    }
    if (!result.ok || !result.body.factors) {
      showFormError(errorText(result));
      return;
    }
    const { factors, sessions = [], username = '' } = result.body;
    byId('who').textContent = format(text['signedIn.as'], { username });
    passkeys.render(result.body, result.clockOffset);
    byId('totp-status').textContent = factors.totp
      ? text['account.totp.on']
      : factors.passkeys > 0
        ? text['account.totp.offPasskeys']
        : text['account.totp.off'];
    const area = byId('totp-area');
    area.replaceChildren();
    if (factors.totp) area.append(removeForm());
    else {
      const start = document.createElement('button');
      start.type = 'button';
      start.className = 'primary';
      start.textContent = text['account.totp.start'];
      start.addEventListener('click', () => {
        void totpSetup(area, (codes) => {
          renderCodes(byId('recovery-list'), codes);
          say(text['account.totp.added']);
          void load();
        });
      });
      area.append(start);
    }
    byId('recovery-status').textContent = factors.totp
      ? format(text['account.recovery.left'], { count: factors.recoveryCodesLeft })
      : text['account.recovery.none'];
    byId('regenerate').hidden = !factors.totp;
    byId('sessions').replaceChildren(
      ...sessions.map((session) => {
        const item = document.createElement('li');
        item.textContent = format(session.current ? text['account.sessions.current'] : text['account.sessions.other'], {
          since: when(session.createdAt),
          until: when(session.expiresAt),
        });
        return item;
      }),
    );
    byId('revoke').hidden = sessions.length < 2;
  };

  const removeForm = (): HTMLFormElement =>
    codeForm({
      id: 'remove-code',
      label: text['account.totp.removeLabel'],
      submit: text['account.totp.remove'],
      primary: false,
      path: apiRoutes.removeTotp.path,
      accepted: async (result) => {
        if (!result.ok) return false;
        byId('recovery-list').hidden = true;
        say(text['account.totp.removed']);
        await load();
        return true;
      },
    });

  const passkeys = accountPasskeys(say, load);

  const regenerate = byId<HTMLButtonElement>('regenerate');
  regenerate.addEventListener('click', async () => {
    if (isBusy(regenerate)) return;
    clearFormError();
    const result = await whileBusy(regenerate, () =>
      callApi<{ recoveryCodes?: string[] }>('POST', apiRoutes.recoveryCodes.path, {}),
    );
    if (result.ok && result.body.recoveryCodes) {
      renderCodes(byId('recovery-list'), result.body.recoveryCodes);
      say(text['account.recovery.regenerated']);
      await load();
    } else showFormError(errorText(result));
  });
  const revoke = byId<HTMLButtonElement>('revoke');
  revoke.addEventListener('click', async () => {
    if (isBusy(revoke)) return;
    clearFormError();
    const result = await whileBusy(revoke, () =>
      callApi<{ ended?: number }>('POST', apiRoutes.revokeSessions.path, {}),
    );
    if (result.ok) {
      say(format(text['account.sessions.revoked'], { count: result.body.ended ?? 0 }));
      await load();
    } else showFormError(errorText(result));
  });
  void load();
}
