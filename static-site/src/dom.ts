// Small DOM helpers shared by the pages: messages tied to their fields, busy buttons, show/hide.

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

export function setFieldError(input: HTMLInputElement, message: string | undefined): void {
  const error = byId(`${input.id}-error`);
  error.textContent = message ?? '';
  error.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Checks required fields; marks each empty one and focuses the first. True when all are filled. */
export function requireFields(fields: ReadonlyArray<[HTMLInputElement, string]>): boolean {
  let first: HTMLInputElement | undefined;
  for (const [input, message] of fields) {
    const empty = input.value.trim() === '';
    setFieldError(input, empty ? message : undefined);
    if (empty && !first) first = input;
  }
  first?.focus();
  return first === undefined;
}

/** Disables a button and says it is working, for the duration of `work`. */
export async function whileBusy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  const label = button.textContent ?? '';
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = button.dataset.busyText ?? label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

export function wirePasswordToggles(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-toggle]')) {
    const input = byId<HTMLInputElement>(button.dataset.toggle ?? '');
    button.addEventListener('click', () => {
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.textContent = show ? 'Hide' : 'Show';
      button.setAttribute('aria-pressed', String(show));
      button.setAttribute('aria-label', show ? 'Hide password' : 'Show password');
    });
    button.setAttribute('aria-label', 'Show password');
  }
}
