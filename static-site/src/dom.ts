// Small DOM helpers shared by the pages: messages tied to their fields, busy buttons, show/hide.
import { text } from './text';

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** Shows a message in the page's alert region and moves focus there, so screen readers read it. */
export function showFormError(message: string): void {
  const alert = byId('form-error');
  alert.textContent = message;
  alert.hidden = false;
  alert.focus();
}

export function clearFormError(): void {
  const alert = document.getElementById('form-error');
  if (alert) {
    alert.hidden = true;
    alert.textContent = '';
  }
}

export function setFieldError(input: HTMLInputElement | HTMLTextAreaElement, message: string | undefined): void {
  const error = byId(`${input.id}-error`);
  error.textContent = message ?? '';
  error.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Checks required fields; marks each empty one and focuses the first. True when all are filled. */
export function requireFields(fields: ReadonlyArray<[HTMLInputElement | HTMLTextAreaElement, string]>): boolean {
  let first: HTMLInputElement | HTMLTextAreaElement | undefined;
  for (const [input, message] of fields) {
    const empty = input.value.trim() === '';
    setFieldError(input, empty ? message : undefined);
    if (empty && !first) first = input;
  }
  first?.focus();
  return first === undefined;
}

/**
 * Marks a button busy for the duration of `work`: its words change ("Sending…"), a spinner shows,
 * and it ignores further presses. It stays focusable (aria-disabled, not disabled) so keyboard focus
 * is not lost to the page's start while it works.
 */
export async function whileBusy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  const label = button.textContent ?? '';
  button.setAttribute('aria-disabled', 'true');
  button.setAttribute('aria-busy', 'true');
  button.textContent = button.dataset.busyText ?? label;
  try {
    return await work();
  } finally {
    button.removeAttribute('aria-disabled');
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

/** True while a button is busy: its handlers return early instead of sending twice. */
export function isBusy(button: HTMLButtonElement): boolean {
  return button.getAttribute('aria-busy') === 'true';
}

/** A toggle shows or hides every field it names (`data-toggle="new-password confirm-password"`). */
export function wirePasswordToggles(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-toggle]')) {
    const inputs = (button.dataset.toggle ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => byId<HTMLInputElement>(id));
    button.addEventListener('click', () => {
      const show = inputs[0]?.type === 'password';
      for (const input of inputs) input.type = show ? 'text' : 'password';
      button.textContent = show ? text['password.hide'] : text['password.show'];
      button.setAttribute('aria-label', show ? text['password.hideLabel'] : text['password.showLabel']);
    });
    button.setAttribute('aria-label', text['password.showLabel']);
  }
}

/**
 * Busy buttons keep their size: each is as wide as its longer label ("Send request" or
 * "Sending…"), so nothing around it reflows under the pointer while it works. And while it works,
 * the links beside it do nothing: a second click meant for the button must not leave the page
 * before the answer (a credential request's reference) is shown.
 */
export function wireBusyButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-busy-text]')) {
    const scope = button.closest('form, section') ?? document.body;
    for (const link of scope.querySelectorAll<HTMLAnchorElement>('a[href]')) {
      link.addEventListener('click', (event) => {
        if (isBusy(button)) event.preventDefault();
      });
    }
  }
  fitBusyButtons(document.body);
}

/**
 * Sets each busy button's minimum width to its wider state (label, or busy words and spinner).
 * A hidden button measures 0: call again for a part of the page once it is shown.
 */
export function fitBusyButtons(scope: ParentNode): void {
  for (const button of scope.querySelectorAll<HTMLButtonElement>('button[data-busy-text]')) {
    if (isBusy(button) || button.offsetWidth === 0) continue;
    const label = button.textContent ?? '';
    // CSSOM, not a style attribute: the CSP forbids inline styles, not this.
    button.style.minWidth = '';
    const idle = button.getBoundingClientRect().width;
    button.setAttribute('aria-busy', 'true');
    button.textContent = button.dataset.busyText ?? label;
    const busy = button.getBoundingClientRect().width;
    button.removeAttribute('aria-busy');
    button.textContent = label;
    button.style.minWidth = `${Math.ceil(Math.max(idle, busy))}px`;
  }
}

/**
 * The language switch is a plain link (?lang=it) that works without script; with script it also
 * keeps the page's other parameters and its fragment (the reset link's token).
 */
export function wireLanguageLinks(): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[hreflang]')) {
    link.addEventListener('click', () => {
      const params = new URLSearchParams(location.search);
      params.set('lang', link.hreflang);
      link.href = `${location.pathname}?${params.toString()}${location.hash}`;
    });
  }
}
