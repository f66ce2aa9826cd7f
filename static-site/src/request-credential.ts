// The "Request your credential" page: the form checks each field with the same rules as the API
// (lambdas/definitions/credential-request.ts), sends it, and shows the reference to quote.
import {
  type CredentialRequestField,
  type CredentialRequestIssue,
  checkCredentialRequest,
  credentialRequestLimits,
} from '../../lambdas/definitions/credential-request';
import { isLanguage } from '../../lambdas/definitions/languages';
import { apiRoutes } from '../../lambdas/definitions/routes';
import { callApi, errorText } from './api';
import { byId, clearFormError, isBusy, setFieldError, showFormError, whileBusy } from './dom';
import { format } from './messages';
import { text } from './text';

type Control = HTMLInputElement | HTMLTextAreaElement;

const REQUIRED_TEXT: Record<Exclude<CredentialRequestField, 'phone'>, string> = {
  fullName: text['requestCredential.needFullName'],
  company: text['requestCredential.needCompany'],
  email: text['requestCredential.needEmail'],
  reason: text['requestCredential.needReason'],
};

const CHARACTERS_TEXT: Partial<Record<CredentialRequestField, string>> = {
  fullName: text['requestCredential.nameCharacters'],
  company: text['requestCredential.companyCharacters'],
  reason: text['requestCredential.reasonCharacters'],
};

/** The words for one field's problem, in the page's language. */
export function issueMessage(field: CredentialRequestField, issue: CredentialRequestIssue): string {
  const limits = credentialRequestLimits[field];
  switch (issue) {
    case 'required':
      return field === 'phone' ? text['requestCredential.phoneFormat'] : REQUIRED_TEXT[field];
    case 'too_short':
      return format(text['requestCredential.tooShort'], { min: limits.min });
    case 'too_long':
      return format(text['requestCredential.tooLong'], { max: limits.max });
    case 'characters':
      return CHARACTERS_TEXT[field] ?? text['error.invalid_request'];
    case 'email_format':
      return text['requestCredential.emailFormat'];
    case 'phone_format':
      return text['requestCredential.phoneFormat'];
  }
}

export function requestCredentialPage(): void {
  const form = byId<HTMLFormElement>('request-form');
  const controls: Record<CredentialRequestField, Control> = {
    fullName: byId<HTMLInputElement>('full-name'),
    company: byId<HTMLInputElement>('company'),
    email: byId<HTMLInputElement>('email'),
    phone: byId<HTMLInputElement>('phone'),
    reason: byId<HTMLTextAreaElement>('reason'),
  };
  // A little room over the limit, so a paste that is too long is shown as "too long", not cut.
  for (const [field, control] of Object.entries(controls) as [CredentialRequestField, Control][]) {
    control.maxLength = credentialRequestLimits[field].max + 50;
  }

  const reasonHint = byId('reason-hint');
  const hintText = reasonHint.textContent ?? '';
  const showCount = () => {
    const count = [...controls.reason.value].length;
    reasonHint.textContent = `${hintText} ${format(text['requestCredential.reasonCount'], {
      count,
      max: credentialRequestLimits.reason.max,
    })}`;
  };
  controls.reason.addEventListener('input', showCount);
  showCount();

  const values = () => ({
    fullName: controls.fullName.value,
    company: controls.company.value,
    email: controls.email.value,
    phone: controls.phone.value,
    reason: controls.reason.value,
  });

  /** Marks every field; returns the first with a problem. */
  const check = (): Control | undefined => {
    const issues = checkCredentialRequest(values());
    let first: Control | undefined;
    for (const [field, control] of Object.entries(controls) as [CredentialRequestField, Control][]) {
      const issue = issues[field];
      setFieldError(control, issue ? issueMessage(field, issue) : undefined);
      if (issue && !first) first = control;
    }
    return first;
  };

  // Once a field was found wrong, its message follows the typing, so it goes away when fixed.
  for (const [field, control] of Object.entries(controls) as [CredentialRequestField, Control][]) {
    control.addEventListener('input', () => {
      if (control.getAttribute('aria-invalid') !== 'true') return;
      const issue = checkCredentialRequest(values())[field];
      setFieldError(control, issue ? issueMessage(field, issue) : undefined);
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]') as HTMLButtonElement;
    if (isBusy(button)) return;
    clearFormError();
    const invalid = check();
    if (invalid) {
      invalid.focus();
      return;
    }
    const lang = document.documentElement.lang;
    const { phone, ...rest } = values();
    const result = await whileBusy(button, () =>
      callApi<{ reference?: string }>('POST', apiRoutes.requestCredential.path, {
        ...rest,
        ...(phone.trim() ? { phone } : {}),
        ...(isLanguage(lang) ? { language: lang } : {}),
      }),
    );
    if (!result.ok || !result.body.reference) {
      showFormError(errorText(result));
      return;
    }
    form.reset();
    byId('ask').hidden = true;
    byId('sent').hidden = false;
    const heading = byId('heading');
    heading.textContent = text['requestCredential.sentHeading'];
    document.title = `${text['requestCredential.sentHeading']} · ${document.title.split(' · ').pop() ?? ''}`;
    byId('sent-message').textContent = text['requestCredential.sent'];
    byId('reference').textContent = result.body.reference;
    heading.focus();
  });
}
