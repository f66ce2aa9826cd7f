// The few pages the provider itself shows (an error, the sign-out question, "signed out"), in the
// portal's look and the visitor's language. Self-contained: inline styles only, no script.
import type { Language } from '../definitions/languages';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

const copy = {
  en: {
    errorTitle: 'This sign-in link does not work',
    errorBody:
      'The tool that sent you here asked for something Support Access cannot do. Go back to the tool and start again; if it happens again, tell the tool’s administrator what is written below.',
    expiredTitle: 'This sign-in took too long',
    expiredBody: 'Go back to the tool you came from and sign in again.',
    logoutTitle: 'Sign out?',
    logoutBody: 'You will be signed out of Support Access and of every tool you signed in to with it.',
    logoutYes: 'Yes, sign me out',
    logoutNo: 'No, stay signed in',
    doneTitle: 'You are signed out',
    doneBody: 'You are signed out of Support Access and of the tools you used with it.',
    login: 'Sign in again',
    details: 'Details for the administrator',
  },
  it: {
    errorTitle: 'Questo collegamento di accesso non funziona',
    errorBody:
      'Lo strumento che ti ha mandato qui ha chiesto qualcosa che Support Access non può fare. Torna allo strumento e riprova; se succede ancora, comunica all’amministratore dello strumento il testo qui sotto.',
    expiredTitle: 'L’accesso ha richiesto troppo tempo',
    expiredBody: 'Torna allo strumento da cui sei arrivato e accedi di nuovo.',
    logoutTitle: 'Vuoi uscire?',
    logoutBody: 'Uscirai da Support Access e da tutti gli strumenti a cui hai effettuato l’accesso con esso.',
    logoutYes: 'Sì, esci',
    logoutNo: 'No, resta collegato',
    doneTitle: 'Sei uscito',
    doneBody: 'Sei uscito da Support Access e dagli strumenti che hai usato con esso.',
    login: 'Accedi di nuovo',
    details: 'Dettagli per l’amministratore',
  },
} as const;

export type PageText = Record<keyof (typeof copy)['en'], string>;

function page(language: Language, portalName: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(portalName)}</title>
<link rel="icon" href="data:,">
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}
main{max-width:30rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}button,a.button{font:inherit;padding:.6rem 1rem;border-radius:.3rem;border:1px solid #1f4e8c;margin:.25rem .5rem .25rem 0;cursor:pointer;display:inline-block;text-decoration:none}
button[value=yes]{background:#1f4e8c;color:#fff}button:not([value=yes]){background:#fff;color:#1f4e8c}
pre{white-space:pre-wrap;background:#f4f5f7;padding:.5rem;border-radius:.3rem}
@media (prefers-color-scheme:dark){body{background:#15181c;color:#e8eaed}main{background:#22262b}pre{background:#15181c}button:not([value=yes]){background:#22262b;color:#9ec1ff}}
</style>
</head>
<body>
<main>
<p>${escapeHtml(portalName)}</p>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

export function errorPage(
  language: Language,
  portalName: string,
  out: { readonly error?: string; readonly error_description?: string | undefined },
  expired: boolean,
): string {
  const t: PageText = copy[language];
  const details = [
    `error: ${out.error ?? 'unknown'}`,
    ...(out.error_description ? [`error_description: ${out.error_description}`] : []),
  ].join('\n');
  return page(
    language,
    portalName,
    expired ? t.expiredTitle : t.errorTitle,
    `<p>${escapeHtml(expired ? t.expiredBody : t.errorBody)}</p>
<h2>${escapeHtml(t.details)}</h2>
<pre>${escapeHtml(details)}</pre>`,
  );
}

export function logoutPage(language: Language, portalName: string, form: string): string {
  const t: PageText = copy[language];
  // `form` is oidc-provider's own hidden form (action and xsrf token); the buttons submit it.
  return page(
    language,
    portalName,
    t.logoutTitle,
    `<p>${escapeHtml(t.logoutBody)}</p>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${escapeHtml(t.logoutYes)}</button>
<button type="submit" form="op.logoutForm">${escapeHtml(t.logoutNo)}</button>`,
  );
}

export function signedOutPage(language: Language, portalName: string, loginUrl: string): string {
  const t: PageText = copy[language];
  return page(
    language,
    portalName,
    t.doneTitle,
    `<p>${escapeHtml(t.doneBody)}</p>
<p><a class="button" href="${escapeHtml(loginUrl)}">${escapeHtml(t.login)}</a></p>`,
  );
}
