// Passkeys in the pages: signing in without a password (a button, and the browser's autofill in
// the username field), the passkey as the second step, and the account page's list. Each function
// imports only what it uses from @simplewebauthn/browser, so each page carries only its part.
import {
  type AuthenticationResponseJSON,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
} from '@simplewebauthn/browser';
import { type PasskeyView, passkeyRules } from '../../lambdas/definitions/passkeys';
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
import { text } from './text';

export { browserSupportsWebAuthn };

/**
 * Says something calmly in a status region (role=status): shown first, then filled on the next
 * frame, so screen readers notice the change in a region that was hidden a moment ago.
 */
export function tell(region: HTMLElement, message: string): void {
  region.textContent = '';
  region.hidden = false;
  requestAnimationFrame(() => {
    region.textContent = message;
  });
}

/** What became of a ceremony in the browser: an answer, the person said no (or it was aborted), or it failed. */
type Ceremony<T> = { answer: T } | { cancelled: true } | { failed: string };

/**
 * The browser refuses with NotAllowedError when the person closes the dialog, lets it time out or
 * has no passkey here, and with AbortError when a newer ceremony replaced this one: neither is a
 * fault to shout about.
 */
function cancelled(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NotAllowedError' || name === 'AbortError';
}

async function authenticate(
  optionsJSON: PublicKeyCredentialRequestOptionsJSON,
  useBrowserAutofill = false,
): Promise<Ceremony<AuthenticationResponseJSON>> {
  try {
    return { answer: await startAuthentication({ optionsJSON, useBrowserAutofill }) };
  } catch (error) {
    return cancelled(error) ? { cancelled: true } : { failed: (error as { name?: string }).name ?? 'Error' };
  }
}

/**
 * How long a ceremony's options stay usable after they arrive: the server's challenge lives
 * challengeSeconds; a margin is kept for the person's part. (A function, not a static field: a
 * class with one would be kept in every page's bundle.)
 */
function usableMs(): number {
  return (passkeyRules.challengeSeconds - 60) * 1000;
}

/**
 * A ceremony's options, asked once and used until spent or close to expiry: the browser dialog
 * then opens straight from the click (some browsers want it inside the click's user activation),
 * and the autofill request and the button share one challenge.
 */
class CeremonyOptions<T> {
  private cached: { options: T; at: number; extra: Record<string, unknown> } | undefined;
  private pending: Promise<ApiResult<{ options?: T }>> | undefined;

  constructor(private readonly body: Record<string, unknown>) {}

  /** The options, or the failed answer that says why there are none. */
  async get(): Promise<{ options: T; at: number; extra: Record<string, unknown> } | { failure: ApiResult<unknown> }> {
    // The server's challenge lives challengeSeconds; keep a margin for the person's part.
    if (this.cached && Date.now() - this.cached.at < usableMs()) return this.cached;
    this.pending ??= callApi<{ options?: T }>('POST', apiRoutes.passkeySignInOptions.path, this.body);
    const result = await this.pending;
    this.pending = undefined;
    if (!result.ok || !result.body.options) return { failure: result };
    const { options, ...extra } = result.body;
    this.cached = { options, at: Date.now(), extra };
    return this.cached;
  }

  /** After an answer went to the server: its challenge is spent, the next ceremony needs new options. */
  spend(): void {
    this.cached = undefined;
  }
}

/**
 * The login page's passkey button and autofill. `signedIn` is told the answer's challenge (none
 * for a passkey sign-in today) and goes where a password sign-in goes.
 */
export function loginWithPasskey(notice: HTMLElement, signedIn: (challenge: string | undefined) => void): void {
  const area = byId('passkey-area');
  const button = byId<HTMLButtonElement>('passkey-sign-in');
  // Without WebAuthn the button stays hidden: the password form is the way in.
  if (!browserSupportsWebAuthn()) return;
  area.hidden = false;
  fitBusyButtons(area);
  const ceremony = new CeremonyOptions<PublicKeyCredentialRequestOptionsJSON>({});
  let modal = false;
  let finished = false;
  const calm = (message: string) => tell(notice, message);

  /** Sends the browser's answer; true when signed in (the page is then leaving). */
  const finish = async (response: AuthenticationResponseJSON): Promise<boolean> => {
    ceremony.spend();
    const result = await callApi<{ username?: string; challenge?: string }>('POST', apiRoutes.passkeySignIn.path, {
      response,
    });
    if (result.ok) {
      finished = true;
      signedIn(result.body.challenge);
      return true;
    }
    showFormError(errorText(result));
    return false;
  };

  // Autofill (conditional mediation): the browser lists this site's passkeys among the username
  // field's suggestions; choosing one answers this request. It waits as long as the page is open.
  // Its challenge is renewed before the server forgets it, so a passkey chosen much later still works.
  let renewal: ReturnType<typeof setTimeout> | undefined;
  let renewing = false;
  const autofill = async (): Promise<void> => {
    clearTimeout(renewal);
    if (finished || modal || !(await browserSupportsWebAuthnAutofill())) return;
    const got = await ceremony.get();
    // No options: the button will say why when pressed; the password form works regardless.
    if ('failure' in got || modal) return;
    renewal = setTimeout(
      () => {
        if (modal || finished) return;
        renewing = true;
        WebAuthnAbortService.cancelCeremony();
      },
      got.at + usableMs() - Date.now(),
    );
    const outcome = await authenticate(got.options, true);
    clearTimeout(renewal);
    if (renewing) {
      renewing = false;
      void autofill();
      return;
    }
    // Aborted by the button's ceremony (or the page): the button's path takes over.
    if (!('answer' in outcome) || modal) return;
    clearFormError();
    notice.hidden = true;
    if (!(await finish(outcome.answer))) void autofill();
  };
  void autofill();

  button.addEventListener('click', async () => {
    if (isBusy(button)) return;
    clearFormError();
    notice.hidden = true;
    modal = true;
    let signed = false;
    await whileBusy(button, async () => {
      const got = await ceremony.get();
      if ('failure' in got) {
        showFormError(errorText(got.failure));
        return;
      }
      // startAuthentication aborts the pending autofill request first (one ceremony at a time).
      const outcome = await authenticate(got.options);
      if ('cancelled' in outcome) calm(text['login.passkeyCancelled']);
      else if ('failed' in outcome) showFormError(text['login.passkeyFailed']);
      else signed = await finish(outcome.answer);
    });
    modal = false;
    if (!signed) void autofill();
  });
}

type SecondStepMethod = 'totp' | 'recovery' | 'passkey';

/**
 * The second step's options: which methods the account has, and a ceremony for its passkeys.
 * Answers 'expired' when no step is waiting (the password must be given again).
 */
export async function secondStepOptions(): Promise<
  | 'expired'
  | {
      methods: readonly SecondStepMethod[];
      passkey: (() => Promise<Ceremony<AuthenticationResponseJSON> | { failure: ApiResult<unknown> }>) | undefined;
      spend: () => void;
    }
> {
  const ceremony = new CeremonyOptions<PublicKeyCredentialRequestOptionsJSON>({ secondStep: true });
  const got = await ceremony.get();
  if ('failure' in got) {
    if (got.failure.status === 401) return 'expired';
    // Without an answer the page offers what it always could: a code.
    return { methods: ['totp', 'recovery'], passkey: undefined, spend: () => undefined };
  }
  const methods: readonly SecondStepMethod[] = Array.isArray(got.extra.methods)
    ? (got.extra.methods as SecondStepMethod[])
    : ['totp', 'recovery'];
  const hasPasskeys = methods.includes('passkey') && (got.options.allowCredentials?.length ?? 0) > 0;
  return {
    methods,
    passkey: hasPasskeys
      ? async () => {
          const again = await ceremony.get();
          return 'failure' in again ? again : authenticate(again.options);
        }
      : undefined,
    spend: () => ceremony.spend(),
  };
}

/** "Chrome on Linux": a name for a new passkey the person may keep or change. Empty when unsure. */
function suggestedName(): string {
  const agent = navigator.userAgent;
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /Firefox\//.test(agent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(agent)
        ? 'Chrome'
        : /Safari\//.test(agent)
          ? 'Safari'
          : '';
  const platform = /Android/.test(agent)
    ? 'Android'
    : /iPhone|iPad/.test(agent)
      ? 'iOS'
      : /Windows/.test(agent)
        ? 'Windows'
        : /Mac OS X/.test(agent)
          ? 'macOS'
          : /CrOS/.test(agent)
            ? 'ChromeOS'
            : /Linux/.test(agent)
              ? 'Linux'
              : '';
  return browser && platform ? format(text['account.passkeys.defaultName'], { browser, platform }) : '';
}

/**
 * Registers a new passkey under `name`: options from the API, the browser's ceremony, the answer
 * back. Signed in, it adds to the account; during a sign-in that must set up a second factor (the
 * step cookie), the API also starts the session.
 */
async function createPasskey(
  name: string,
): Promise<
  { added: { passkey?: PasskeyView } } | { refused: ApiResult<unknown> } | { cancelled: true } | { failed: string }
> {
  const start = await callApi<{ options?: PublicKeyCredentialCreationOptionsJSON }>(
    'POST',
    apiRoutes.passkeyRegistrationOptions.path,
    {},
  );
  if (!start.ok || !start.body.options) return { refused: start };
  let response: Awaited<ReturnType<typeof startRegistration>>;
  try {
    response = await startRegistration({ optionsJSON: start.body.options });
  } catch (error) {
    if (cancelled(error)) return { cancelled: true };
    // The authenticator already holds one of this account's passkeys (the options exclude them).
    if ((error as { name?: string }).name === 'InvalidStateError') return { failed: text['account.passkeys.exists'] };
    return { failed: text['account.passkeys.failed'] };
  }
  const result = await callApi<{ passkey?: PasskeyView }>('POST', apiRoutes.addPasskey.path, { name, response });
  return result.ok ? { added: result.body } : { refused: result };
}

/**
 * The required set-up of a second factor during sign-in: a passkey, offered before the
 * authenticator app. Its first passkey finishes the sign-in. Stays hidden without WebAuthn.
 */
export function setupWithPasskey(done: () => void): void {
  const block = byId('setup-passkey');
  if (!browserSupportsWebAuthn()) return;
  block.hidden = false;
  const form = byId<HTMLFormElement>('setup-passkey-form');
  const name = byId<HTMLInputElement>('setup-passkey-name');
  const button = form.querySelector('button[type="submit"]') as HTMLButtonElement;
  const notice = byId('notice');
  name.maxLength = passkeyRules.nameMaxLength;
  name.value = suggestedName();
  fitBusyButtons(block);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (isBusy(button)) return;
    clearFormError();
    notice.hidden = true;
    if (!requireFields([[name, text['account.passkeys.needName']]])) return;
    const chosen = name.value.trim();
    await whileBusy(button, async () => {
      const outcome = await createPasskey(chosen);
      if ('added' in outcome) done();
      else if ('cancelled' in outcome) {
        tell(notice, text['account.passkeys.cancelled']);
      } else if ('failed' in outcome) showFormError(outcome.failed);
      else if (outcome.refused.status === 401) location.replace(`${pages.login.path}?expired`);
      else {
        if (outcome.refused.body.error === 'invalid_request') setFieldError(name, errorText(outcome.refused));
        showFormError(errorText(outcome.refused));
      }
    });
  });
}

export interface AccountPasskeys {
  readonly passkeys?: readonly PasskeyView[];
  readonly passkeyChangesUntil?: number;
}

/**
 * The account page's Passkeys section. `say` announces a change in the page's status region
 * (and moves focus there); `reload` reads the account again and calls `render`.
 */
export function accountPasskeys(say: (message: string) => void, reload: () => Promise<void>) {
  const status = byId('passkeys-status');
  const list = byId<HTMLUListElement>('passkeys');
  const form = byId<HTMLFormElement>('passkey-form');
  const name = byId<HTMLInputElement>('passkey-name');
  const reauth = byId('passkey-reauth');
  const signInAgain = byId<HTMLButtonElement>('sign-in-again');
  const addButton = form.querySelector('button[type="submit"]') as HTMLButtonElement;
  const supported = browserSupportsWebAuthn();
  name.maxLength = passkeyRules.nameMaxLength;
  name.value = suggestedName();
  const day = (ms: number) =>
    new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: 'medium' }).format(ms);
  const moment = (ms: number) =>
    new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

  /** Sign in again: this session's sign-in is too old to change how one signs in. */
  const askToSignInAgain = (focus: boolean) => {
    byId('passkey-reauth-text').textContent = text['error.reauthentication_required'];
    reauth.hidden = false;
    form.hidden = true;
    if (focus) byId('passkey-reauth-text').focus();
  };
  /** What an API answer refused means here; true when it was handled. */
  const refused = (result: ApiResult<unknown>): void => {
    if (result.status === 401 && result.body.error !== 'passkey_invalid') {
      location.replace(`${pages.login.path}?expired`);
      return;
    }
    if (result.body.error === 'reauthentication_required') {
      askToSignInAgain(true);
      return;
    }
    if (result.body.error === 'invalid_request') setFieldError(name, errorText(result));
    showFormError(errorText(result));
  };

  signInAgain.addEventListener('click', async () => {
    if (isBusy(signInAgain)) return;
    clearFormError();
    const result = await whileBusy(signInAgain, () => callApi('DELETE', apiRoutes.deleteSession.path));
    if (result.ok || result.status === 401) location.assign(`${pages.login.path}?reauthenticate`);
    else showFormError(errorText(result));
  });

  const confirmRemoval = (
    item: HTMLLIElement,
    passkey: PasskeyView,
    actions: HTMLElement,
    remove: HTMLButtonElement,
  ) => {
    const question = document.createElement('p');
    question.tabIndex = -1;
    question.id = `confirm-${item.dataset.index}`;
    question.textContent = format(text['account.passkeys.confirm'], { name: passkey.name });
    const keep = document.createElement('button');
    keep.type = 'button';
    keep.textContent = text['account.passkeys.confirmNo'];
    const yes = document.createElement('button');
    yes.type = 'button';
    yes.className = 'primary';
    yes.textContent = text['account.passkeys.confirmYes'];
    yes.dataset.busyText = text['account.passkeys.removeBusy'];
    yes.setAttribute('aria-describedby', question.id);
    const buttons = document.createElement('div');
    buttons.className = 'actions';
    buttons.append(keep, yes);
    actions.replaceChildren(question, buttons);
    question.focus();
    keep.addEventListener('click', () => {
      actions.replaceChildren(remove);
      remove.focus();
    });
    yes.addEventListener('click', async () => {
      if (isBusy(yes)) return;
      clearFormError();
      const result = await whileBusy(yes, () =>
        callApi<{ removed?: PasskeyView }>('POST', apiRoutes.removePasskey.path, { id: passkey.id }),
      );
      if (result.ok) {
        // The list first, then the words (and focus) in the status region: the removed item held focus.
        await reload();
        say(format(text['account.passkeys.removed'], { name: result.body.removed?.name ?? passkey.name }));
        return;
      }
      if (result.body.error === 'passkey_not_found') {
        showFormError(errorText(result));
        await reload();
        return;
      }
      actions.replaceChildren(remove);
      refused(result);
    });
  };

  const render = (account: AccountPasskeys, clockOffset = 0): void => {
    const passkeys = account.passkeys ?? [];
    status.textContent = passkeys.length === 0 ? text['account.passkeys.none'] : '';
    status.hidden = passkeys.length > 0;
    list.hidden = passkeys.length === 0;
    list.replaceChildren(
      ...passkeys.map((passkey, index) => {
        const item = document.createElement('li');
        item.dataset.index = String(index);
        const title = document.createElement('p');
        const strong = document.createElement('strong');
        strong.textContent = passkey.name;
        title.append(strong);
        const meta = document.createElement('p');
        meta.className = 'passkey-meta';
        meta.textContent = [
          format(text['account.passkeys.added'], { date: day(passkey.createdAt) }),
          passkey.lastUsedAt
            ? format(text['account.passkeys.lastUsed'], { date: moment(passkey.lastUsedAt) })
            : text['account.passkeys.neverUsed'],
          passkey.synced ? text['account.passkeys.synced'] : text['account.passkeys.deviceOnly'],
        ].join(' · ');
        const actions = document.createElement('div');
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.textContent = text['account.passkeys.remove'];
        remove.setAttribute('aria-label', format(text['account.passkeys.removeLabel'], { name: passkey.name }));
        remove.addEventListener('click', () => {
          clearFormError();
          confirmRemoval(item, passkey, actions, remove);
        });
        actions.append(remove);
        item.append(title, meta, actions);
        return item;
      }),
    );
    // Changing passkeys needs a recent sign-in: once this session's is too old, say so up front.
    // On the server's clock (a browser's may be minutes off); the API has the last word anyway.
    const tooOld = account.passkeyChangesUntil !== undefined && Date.now() + clockOffset > account.passkeyChangesUntil;
    const full = passkeys.length >= passkeyRules.maxPerAccount;
    if (tooOld) askToSignInAgain(false);
    else {
      reauth.hidden = true;
      form.hidden = !supported || full;
      if (!form.hidden) fitBusyButtons(form);
    }
    if (!supported && !tooOld) {
      status.textContent = [status.textContent, text['account.passkeys.unsupported']].filter(Boolean).join(' ');
      status.hidden = false;
    } else if (full && !tooOld) {
      status.textContent = text['error.passkey_limit'];
      status.hidden = false;
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (isBusy(addButton)) return;
    clearFormError();
    if (!requireFields([[name, text['account.passkeys.needName']]])) return;
    const chosen = name.value.trim();
    await whileBusy(addButton, async () => {
      const outcome = await createPasskey(chosen);
      if ('cancelled' in outcome) say(text['account.passkeys.cancelled']);
      else if ('failed' in outcome) showFormError(outcome.failed);
      else if ('refused' in outcome) refused(outcome.refused);
      else {
        setFieldError(name, undefined);
        name.value = suggestedName();
        await reload();
        say(format(text['account.passkeys.addedNotice'], { name: outcome.added.passkey?.name ?? chosen }));
      }
    });
  });

  return { render };
}
