// The one message catalogue of the pages, in every language of lambdas/definitions/languages.ts.
// `page` texts are put into the HTML at build time ({{t.key}} in static-site/); `script` texts are
// what the page script says at run time. `{name}` marks a value filled in when the text is used.
// test/unit/site/messages.test.ts fails on a key missing in any language or a placeholder that differs.
import type { Language } from '../../lambdas/definitions/languages';

const en = {
  page: {
    'language.name': 'English',
    'language.nav': 'Language',
    'layout.description': '{portal}: sign in, or get a new password by email.',
    'layout.noscript':
      'This page needs JavaScript to talk to the portal. Turn it on for this site, or contact your support team.',
    'password.show': 'Show',

    'login.title': 'Login',
    'login.heading': 'Login',
    'login.lead': 'Sign in to start your session',
    'login.username': 'User',
    'login.password': 'Password',
    'login.forgot': 'Forgot your password?',
    'login.submit': 'Sign In',
    'login.busy': 'Signing in…',
    'login.requestCredential': 'Request your credential',
    'login.or': 'or',
    'login.passkey': 'Sign in with a passkey',
    'login.passkeyBusy': 'Waiting for your passkey…',

    'forgot.title': 'Forgot your password?',
    'forgot.heading': 'Forgot your password?',
    'forgot.lead':
      'Enter your username or the email address of your account. We will email you a link to get a new password.',
    'forgot.login': 'Username or email',
    'forgot.back': 'Back to the login page',
    'forgot.submit': 'Send request',
    'forgot.busy': 'Sending…',
    'forgot.notReceived': 'Did not get it? Wait a few minutes, check the spam folder, then',
    'forgot.sendAgain': 'send the request again',

    'reset.title': 'Get a new password',
    'reset.ready.heading': 'Get a new password',
    'reset.ready.lead': 'Press the button and we will email you a new password. This link works only once.',
    'reset.ready.submit': 'Send me a new password',
    'reset.busy': 'Sending…',
    'reset.sent.heading': 'New password sent via mail',
    'reset.sent.lead':
      'Check your email for your new password. Sign in with it on the login page; you will then choose a password of your own.',
    'reset.used.heading': 'This link has already been used',
    'reset.used.lead':
      'Each link works once. If you already received your new password, sign in with it. Otherwise, get a new link.',
    'reset.expired.heading': 'This link has expired',
    'reset.expired.lead': 'For your safety, reset links work only for a short time. Get a new one with one click.',
    'reset.replaced.heading': 'A newer link was sent',
    'reset.replaced.lead':
      'You asked for a new password more than once, and only the newest link works. Use the link in the most recent email, or get a new one.',
    'reset.invalid.heading': 'This link is not valid',
    'reset.invalid.lead':
      'The link may be incomplete. If you copied it from the email, copy the whole line and try again, or ask for a new link.',
    'reset.invalid.action': 'Ask for a new link',
    'reset.newLink': 'Email me a new link',
    'reset.newLinkSent.heading': 'Check your email',
    'reset.toLogin': 'Go to the login page',

    'newPassword.title': 'Choose a new password',
    'newPassword.heading': 'Choose a new password',
    'newPassword.lead': 'You signed in with a temporary password. Choose a password of your own to continue.',
    'newPassword.password': 'New password',
    'newPassword.rulesHeading': 'Your password needs:',
    'newPassword.repeat': 'Repeat the new password',
    'newPassword.cancel': 'Cancel',
    'newPassword.submit': 'Save and sign in',
    'newPassword.busy': 'Saving…',
    'newPassword.none.heading': 'There is no password to choose here',
    'newPassword.none.lead':
      'This step follows a sign-in with the temporary password from our email, and none is waiting in this browser. If you have that temporary password, sign in with it first. If you already chose your own password, sign in with that one.',
    'newPassword.none.action': 'Go to the login page',

    'notFound.title': 'Page not found',
    'notFound.heading': 'There is no page at this address',
    'notFound.lead': 'The address may be mistyped or out of date. Start again from the login page.',
    'notFound.action': 'Go to the login page',

    'signedIn.title': 'Signed in',
    'signedIn.heading': 'Welcome',
    'signedIn.checking': 'Checking your session…',
    'signedIn.signOut': 'Sign out',
    'signedIn.busy': 'Signing out…',
    'signedIn.account': 'Your account: passkeys, second factor and sessions',

    'secondStep.title': 'Second step',
    'secondStep.verify.heading': 'Enter your code',
    'secondStep.verify.lead': 'Your password was right. Enter the 6-digit code your authenticator app shows now.',
    'secondStep.code': 'Code from your authenticator app',
    'secondStep.cancel': 'Cancel',
    'secondStep.submit': 'Continue',
    'secondStep.busy': 'Checking…',
    'secondStep.useRecovery': 'Use a recovery code instead',
    'secondStep.passkey.lead': 'Your password was right. Finish signing in with your passkey.',
    'secondStep.passkey.use': 'Use your passkey',
    'secondStep.passkey.busy': 'Waiting for your passkey…',
    'secondStep.setup.heading': 'Set up a second factor',
    'secondStep.setup.lead':
      'This portal asks everyone for a second factor. Set up a passkey or an authenticator app now to finish signing in.',
    'secondStep.setup.passkeyHeading': 'A passkey',
    'secondStep.setup.passkeySubmit': 'Set up a passkey',
    'secondStep.setup.appHeading': 'An authenticator app',
    'recovery.heading': 'Your recovery codes',
    'recovery.lead':
      'Keep these ten codes somewhere safe: each one lets you in once if you lose your phone. They are shown only now.',
    'recovery.continue': 'I have saved them: continue',

    'account.title': 'Your account',
    'account.heading': 'Your account',
    'account.busy': 'Working…',
    'account.totp.heading': 'Authenticator app',
    'account.recovery.heading': 'Recovery codes',
    'account.recovery.regenerate': 'Make new recovery codes',
    'account.sessions.heading': 'Where you are signed in',
    'account.passkeys.heading': 'Passkeys',
    'account.passkeys.lead':
      'A passkey signs you in with your fingerprint, face or screen lock instead of your password, and it only works on this site, so it cannot be phished.',
    'account.passkeys.name': 'Name of the new passkey',
    'account.passkeys.nameHint': 'So you can tell your passkeys apart, for example “Work laptop”.',
    'account.passkeys.add': 'Add a passkey',
    'account.passkeys.addBusy': 'Waiting for your passkey…',
    'account.passkeys.signInAgain': 'Sign in again',
    'account.sessions.revoke': 'Sign out everywhere else',
    'account.back': 'Back',

    'requestCredential.title': 'Request your credential',
    'requestCredential.heading': 'Request your credential',
    'requestCredential.lead':
      'Tell us who you are and why you need access. The support team reviews every request and answers by email.',
    'requestCredential.fullName': 'Full name',
    'requestCredential.company': 'Company',
    'requestCredential.email': 'Work email',
    'requestCredential.emailHint': 'The answer, and your account if the request is approved, go to this address.',
    'requestCredential.phone': 'Phone',
    'requestCredential.optional': '(optional)',
    'requestCredential.reason': 'Why do you need access?',
    'requestCredential.reasonHint': 'A few words are enough: for example your role, or your support contract.',
    'requestCredential.submit': 'Send request',
    'requestCredential.busy': 'Sending…',
    'requestCredential.back': 'Back to the login page',
    'requestCredential.referenceLabel': 'Your reference, to quote if you contact the support team:',
    'requestCredential.next':
      'We will answer by email once the request has been reviewed. If it is approved, the email brings your username and a temporary password.',
  },
  script: {
    'password.show': 'Show',
    'password.hide': 'Hide',
    'password.showLabel': 'Show password',
    'password.hideLabel': 'Hide password',

    'login.signedOut': 'You have signed out.',
    'login.sessionEnded': 'Your session has ended. Sign in again to continue.',
    'login.needUsername': 'Enter your username or email address.',
    'login.needPassword': 'Enter your password.',
    'login.passkeyCancelled': 'No passkey was used. Try again, or sign in with your password.',
    'login.passkeyFailed': 'This browser could not use a passkey just now. Try again, or sign in with your password.',
    'login.reauthenticate': 'Sign in again to add or remove passkeys, then open your account page.',

    'forgot.needLogin': 'Enter your username or the email address of your account.',
    'forgot.sentHeading': 'Check your email',
    'forgot.sent':
      'If an account matches, we have sent an email with a link to get a new password. It can take a few minutes to arrive; check the spam folder too. The link works only once, for a short time.',
    'reset.limitNote':
      'For your safety, one account receives at most {count} links in {minutes} minutes, and further requests send nothing. If no email arrives within 10 minutes, check the spam folder, then wait {minutes} minutes before asking again, or contact your support team.',

    'reset.newLinkSent':
      'If the link belonged to an account, we have sent a new link to its email address. It can take a few minutes to arrive.',

    'newPassword.needPassword': 'Enter a new password.',
    'newPassword.needRepeat': 'Repeat the new password.',
    'newPassword.stillNeeds': 'The password still needs: {rules}.',
    'newPassword.different': 'The two passwords are different. Type the same password twice.',
    'newPassword.ruleMet': 'done',
    'newPassword.ruleUnmet': 'not yet',
    'newPassword.ruleOnSave': 'checked when you save',
    'newPassword.ruleRefused': 'not met, choose another password',
    'newPassword.allMet':
      'The password meets every rule checked while you type; whether it is a commonly used password is checked when you save.',
    'newPassword.remaining': 'Rules still to meet: {count}.',

    'rule.min_length': 'At least {min} characters',
    'rule.max_length': 'At most {max} characters',
    'rule.lowercase': 'A lowercase letter (a-z)',
    'rule.uppercase': 'An uppercase letter (A-Z)',
    'rule.digit': 'A digit (0-9)',
    'rule.symbol': 'A symbol such as ! @ # $ %',
    'rule.no_context_words': 'Does not contain your username, the first part of your email address or {portal}',
    'rule.no_edge_spaces': 'No space at the start or end',
    'rule.not_common': 'Not a commonly used password',

    'signedIn.as': 'You are signed in as {username}.',
    'setup.scan': 'Scan this QR code with your authenticator app.',
    'setup.qrAlt': 'QR code for your authenticator app',
    'setup.manual': 'Cannot scan it? Type this key into the app instead:',
    'setup.typeCode': 'Type the 6-digit code the app now shows.',
    'setup.codeLabel': 'Code from the app',
    'setup.confirm': 'Confirm',
    'setup.busy': 'Checking…',
    'setup.needCode': 'Enter the 6-digit code from your authenticator app.',
    'secondStep.codeLabel': 'Code from your authenticator app',
    'secondStep.codeLead': 'Your password was right. Enter the 6-digit code your authenticator app shows now.',
    'secondStep.recoveryLabel': 'Recovery code',
    'secondStep.recoveryLead': 'Enter one of your recovery codes. Each code works once.',
    'secondStep.useCode': 'Use the authenticator app instead',
    'secondStep.useRecoveryAgain': 'Use a recovery code instead',
    'secondStep.needCode': 'Enter the code.',
    'secondStep.passkeyHeading': 'Confirm it is you',
    'secondStep.codeLeadOr': 'Enter the 6-digit code your authenticator app shows now.',
    'secondStep.passkeyCancelled': 'No passkey was used. Try again, or enter a code instead.',
    'secondStep.passkeyCancelledOnly': 'No passkey was used. Press “Use your passkey” to try again.',
    'secondStep.passkeyFailed': 'This browser could not use your passkey just now. Try again, or enter a code instead.',
    'secondStep.passkeyUnsupported':
      'This account signs in with a passkey, and this browser cannot use passkeys. Use a browser or device that can, or ask your support team to reset your second factor.',
    'account.totp.on': 'An authenticator app is set up: signing in asks for its code after your password.',
    'account.totp.off': 'No authenticator app is set up: signing in asks only for your password.',
    'account.totp.offPasskeys':
      'No authenticator app is set up: after your password, signing in asks for one of your passkeys.',
    'account.totp.start': 'Set up an authenticator app',
    'account.totp.added': 'The authenticator app is set up. Save your recovery codes below; they are shown only now.',
    'account.totp.removeLabel': 'To remove it, enter a current code from the app',
    'account.totp.remove': 'Remove the authenticator app',
    'account.totp.removed': 'The authenticator app was removed, and its recovery codes no longer work.',
    'account.recovery.left': '{count} unused recovery codes left.',
    'account.recovery.none': 'Recovery codes come with an authenticator app.',
    'account.recovery.regenerated': 'New recovery codes are below; the old ones no longer work.',
    'account.sessions.current': 'This browser: since {since}, until {until}',
    'account.sessions.other': 'Another browser: since {since}, until {until}',
    'account.sessions.revoked': 'Signed out everywhere else ({count} sessions ended).',
    'account.passkeys.none': 'No passkeys yet.',
    'account.passkeys.added': 'Added {date}',
    'account.passkeys.lastUsed': 'last used {date}',
    'account.passkeys.neverUsed': 'never used',
    'account.passkeys.synced': 'synced across your devices',
    'account.passkeys.deviceOnly': 'this device only',
    'account.passkeys.remove': 'Remove',
    'account.passkeys.removeLabel': 'Remove the passkey {name}',
    'account.passkeys.confirm': 'Remove the passkey “{name}”? You will no longer be able to sign in with it.',
    'account.passkeys.confirmYes': 'Yes, remove it',
    'account.passkeys.removeBusy': 'Removing…',
    'account.passkeys.confirmNo': 'Keep it',
    'account.passkeys.removed': 'The passkey “{name}” was removed. We have emailed you a notice.',
    'account.passkeys.addedNotice':
      'The passkey “{name}” was added: you can sign in with it now. We have emailed you a notice.',
    'account.passkeys.cancelled': 'No passkey was added. Try again when you are ready.',
    'account.passkeys.exists':
      'This device already holds a passkey for your account. Sign in with that one, or add a passkey on another device.',
    'account.passkeys.failed':
      'This browser could not create a passkey just now. Try again, or use another browser or device.',
    'account.passkeys.unsupported': 'This browser cannot create passkeys. Use a recent browser to add one.',
    'account.passkeys.needName': 'Enter a name for the passkey, such as “Work laptop”.',
    'account.passkeys.defaultName': '{browser} on {platform}',
    'signedIn.continueTo': 'Continue to {name}',
    'signedIn.toTool': 'Taking you back to the tool…',
    'login.toolExpired': 'The sign-in for your tool took too long. Go back to the tool and start again.',
    'login.forTool': 'Sign in to continue to your tool.',

    'requestCredential.sentHeading': 'Request received',
    'requestCredential.sent': 'Thank you: we have received your request.',
    'requestCredential.needFullName': 'Enter your full name.',
    'requestCredential.needCompany': 'Enter the name of your company.',
    'requestCredential.needEmail': 'Enter your work email address.',
    'requestCredential.needReason': 'Tell us in a few words why you need access.',
    'requestCredential.tooShort': 'Too short: at least {min} characters.',
    'requestCredential.tooLong': 'Too long: at most {max} characters.',
    'requestCredential.nameCharacters': "Use letters, spaces and . , ' - only.",
    'requestCredential.companyCharacters': "Use letters, digits, spaces and . , & ' ( ) + ! - only.",
    'requestCredential.reasonCharacters': 'Remove the < and > signs and any invisible characters.',
    'requestCredential.emailFormat': 'Enter an email address such as name@company.com.',
    'requestCredential.phoneFormat':
      'Enter a phone number with 6 to 15 digits, such as +39 02 1234 5678, or leave the field empty.',
    'requestCredential.reasonCount': '{count} of {max} characters',

    'error.network': 'We could not reach the portal. Check your connection, then try again.',
    'error.bad_response': 'The portal answered in a way this page does not understand. Try again in a minute.',
    'error.unknown': 'Something went wrong. Please try again in a minute.',
    'error.invalid_json': 'The page sent a request the portal could not read. Reload the page and try again.',
    'error.invalid_request': 'Something in the form is missing or not right. Check it and try again.',
    'error.invalid_encoding': 'The page sent a request the portal could not read. Reload the page and try again.',
    'error.unsupported_media_type': 'The page sent a request the portal could not read. Reload the page and try again.',
    'error.payload_too_large': 'What you typed is too long for this form.',
    'error.forbidden_origin':
      'This request came from another site and was refused. Open the portal directly and try again.',
    'error.not_found': 'The portal did not recognise this request. Reload the page and try again.',
    'error.method_not_allowed': 'The portal did not recognise this request. Reload the page and try again.',
    'error.link_invalid':
      'This reset link is not valid. Check that you copied the whole link from the email, or ask for a new link.',
    'error.link_used': 'This reset link has already been used. If you still need a new password, ask for a new link.',
    'error.link_expired': 'This reset link has expired. Ask for a new link; it takes a minute.',
    'error.link_replaced':
      'A newer reset link was sent, so this one no longer works. Use the newest email, or ask for a new link.',
    'error.link_busy': 'This link is being used right now, perhaps in another tab. Wait a minute, then try again.',
    'error.invalid_credentials':
      'The username or password is not right. Check both and try again, or use "Forgot your password?".',
    'error.password_policy': 'The new password does not meet the password rules.',
    'error.challenge_expired':
      'The step to choose a new password has expired. Sign in again with the password from the email.',
    'error.temporary_password_expired':
      'The password from the email has expired: it works only for a short time. Use "Forgot your password?" to get a new one.',
    'error.not_signed_in': 'You are not signed in. Sign in to continue.',
    'error.second_factor_invalid':
      'That code is not right, or it was already used. Type the current code from your authenticator app (or an unused recovery code) and try again.',
    'error.second_step_expired': 'The second step of signing in has expired. Sign in again with your password.',
    'error.factor_exists': 'An authenticator app is already set up. Remove it first if you want to set up another one.',
    'error.enrolment_missing':
      'No authenticator set-up is waiting, or it took too long. Start the set-up again and scan the new code.',
    'error.passkey_invalid':
      'That passkey was not accepted: it may have been removed from this account, or the request took too long. Try again, or sign in with your password.',
    'error.passkey_limit':
      'This account already has the most passkeys it can hold. Remove one you no longer use, then add the new one.',
    'error.passkey_not_found':
      'That passkey is no longer on this account. Reload the page to see the passkeys there are.',
    'error.reauthentication_required':
      'For your safety, adding or removing a passkey needs a recent sign-in. Sign in again, then make the change.',
    'error.rate_limited': 'Too many attempts in a short time. Please wait a few minutes, then try again.',
    'error.temporarily_unavailable':
      'We could not finish this just now and nothing was changed. Please try again in a minute.',
    'error.internal_error':
      'Something went wrong on our side. Please try again in a minute; if it keeps happening, contact support.',
  },
};

export type Messages = typeof en;
export type PageKey = keyof Messages['page'];
export type ScriptKey = keyof Messages['script'];
export type ScriptText = Record<ScriptKey, string>;

const it: { page: Record<PageKey, string>; script: ScriptText } = {
  page: {
    'language.name': 'Italiano',
    'language.nav': 'Lingua',
    'layout.description': '{portal}: accedi, o ricevi una nuova password via email.',
    'layout.noscript':
      'Questa pagina ha bisogno di JavaScript per comunicare con il portale. Attivalo per questo sito, o contatta il tuo supporto.',
    'password.show': 'Mostra',

    'login.title': 'Accesso',
    'login.heading': 'Accesso',
    'login.lead': 'Accedi per iniziare la sessione',
    'login.username': 'Utente',
    'login.password': 'Password',
    'login.forgot': 'Password dimenticata?',
    'login.submit': 'Accedi',
    'login.busy': 'Accesso in corso…',
    'login.requestCredential': 'Richiedi le tue credenziali',
    'login.or': 'oppure',
    'login.passkey': 'Accedi con una passkey',
    'login.passkeyBusy': 'In attesa della passkey…',

    'forgot.title': 'Password dimenticata?',
    'forgot.heading': 'Password dimenticata?',
    'forgot.lead':
      "Inserisci il nome utente o l'indirizzo email del tuo account. Ti invieremo via email un link per ricevere una nuova password.",
    'forgot.login': 'Nome utente o email',
    'forgot.back': 'Torna alla pagina di accesso',
    'forgot.submit': 'Invia richiesta',
    'forgot.busy': 'Invio in corso…',
    'forgot.notReceived': 'Non è arrivata? Attendi qualche minuto, controlla la cartella spam, poi',
    'forgot.sendAgain': 'invia di nuovo la richiesta',

    'reset.title': 'Ricevi una nuova password',
    'reset.ready.heading': 'Ricevi una nuova password',
    'reset.ready.lead':
      'Premi il pulsante e ti invieremo via email una nuova password. Questo link funziona una sola volta.',
    'reset.ready.submit': 'Inviami una nuova password',
    'reset.busy': 'Invio in corso…',
    'reset.sent.heading': 'Nuova password inviata via email',
    'reset.sent.lead':
      'Controlla la posta: troverai la nuova password. Usala per accedere dalla pagina di accesso; poi sceglierai una password tua.',
    'reset.used.heading': 'Questo link è già stato usato',
    'reset.used.lead':
      'Ogni link funziona una sola volta. Se hai già ricevuto la nuova password, accedi con quella. Altrimenti, chiedi un nuovo link.',
    'reset.expired.heading': 'Questo link è scaduto',
    'reset.expired.lead':
      'Per la tua sicurezza, i link di reimpostazione funzionano solo per poco tempo. Chiedine uno nuovo con un clic.',
    'reset.replaced.heading': 'È stato inviato un link più recente',
    'reset.replaced.lead':
      "Hai chiesto una nuova password più di una volta, e funziona solo il link più recente. Usa il link dell'ultima email, o chiedine uno nuovo.",
    'reset.invalid.heading': 'Questo link non è valido',
    'reset.invalid.lead':
      "Il link potrebbe essere incompleto. Se l'hai copiato dall'email, copia tutta la riga e riprova, o chiedi un nuovo link.",
    'reset.invalid.action': 'Chiedi un nuovo link',
    'reset.newLink': 'Inviami un nuovo link',
    'reset.newLinkSent.heading': 'Controlla la posta',
    'reset.toLogin': 'Vai alla pagina di accesso',

    'newPassword.title': 'Scegli una nuova password',
    'newPassword.heading': 'Scegli una nuova password',
    'newPassword.lead': 'Hai effettuato l’accesso con una password temporanea. Scegli una password tua per continuare.',
    'newPassword.password': 'Nuova password',
    'newPassword.rulesHeading': 'La password deve avere:',
    'newPassword.repeat': 'Ripeti la nuova password',
    'newPassword.cancel': 'Annulla',
    'newPassword.submit': 'Salva e accedi',
    'newPassword.busy': 'Salvataggio…',
    'newPassword.none.heading': 'Qui non c’è una password da scegliere',
    'newPassword.none.lead':
      'Questo passaggio segue un accesso con la password temporanea della nostra email, e in questo browser non ce n’è uno in attesa. Se hai la password temporanea, accedi prima con quella. Se hai già scelto una password tua, accedi con quella.',
    'newPassword.none.action': 'Vai alla pagina di accesso',

    'notFound.title': 'Pagina non trovata',
    'notFound.heading': 'A questo indirizzo non c’è nessuna pagina',
    'notFound.lead': 'L’indirizzo potrebbe essere sbagliato o non più valido. Ricomincia dalla pagina di accesso.',
    'notFound.action': 'Vai alla pagina di accesso',

    'signedIn.title': 'Accesso effettuato',
    'signedIn.heading': 'Ti diamo il benvenuto',
    'signedIn.checking': 'Verifica della sessione…',
    'signedIn.signOut': 'Esci',
    'signedIn.busy': 'Uscita in corso…',
    'signedIn.account': 'Il tuo account: passkey, secondo fattore e sessioni',

    'secondStep.title': 'Secondo passaggio',
    'secondStep.verify.heading': 'Inserisci il codice',
    'secondStep.verify.lead':
      'La password è corretta. Inserisci il codice di 6 cifre che la tua app di autenticazione mostra ora.',
    'secondStep.code': 'Codice dell’app di autenticazione',
    'secondStep.cancel': 'Annulla',
    'secondStep.submit': 'Continua',
    'secondStep.busy': 'Verifica in corso…',
    'secondStep.useRecovery': 'Usa invece un codice di recupero',
    'secondStep.passkey.lead': 'La password è corretta. Completa l’accesso con la tua passkey.',
    'secondStep.passkey.use': 'Usa la tua passkey',
    'secondStep.passkey.busy': 'In attesa della passkey…',
    'secondStep.setup.heading': 'Configura un secondo fattore',
    'secondStep.setup.lead':
      'Questo portale chiede a tutti un secondo fattore. Configura ora una passkey o un’app di autenticazione per completare l’accesso.',
    'secondStep.setup.passkeyHeading': 'Una passkey',
    'secondStep.setup.passkeySubmit': 'Configura una passkey',
    'secondStep.setup.appHeading': 'Un’app di autenticazione',
    'recovery.heading': 'I tuoi codici di recupero',
    'recovery.lead':
      'Conserva questi dieci codici in un posto sicuro: ognuno ti fa entrare una volta se perdi il telefono. Li vedi solo ora.',
    'recovery.continue': 'Li ho salvati: continua',

    'account.title': 'Il tuo account',
    'account.heading': 'Il tuo account',
    'account.busy': 'Operazione in corso…',
    'account.totp.heading': 'App di autenticazione',
    'account.recovery.heading': 'Codici di recupero',
    'account.recovery.regenerate': 'Crea nuovi codici di recupero',
    'account.sessions.heading': 'Dove hai effettuato l’accesso',
    'account.passkeys.heading': 'Passkey',
    'account.passkeys.lead':
      'Una passkey ti fa accedere con l’impronta, il volto o il blocco schermo invece della password, e funziona solo su questo sito, quindi non può essere rubata con il phishing.',
    'account.passkeys.name': 'Nome della nuova passkey',
    'account.passkeys.nameHint': 'Per distinguere le tue passkey, ad esempio “Portatile di lavoro”.',
    'account.passkeys.add': 'Aggiungi una passkey',
    'account.passkeys.addBusy': 'In attesa della passkey…',
    'account.passkeys.signInAgain': 'Accedi di nuovo',
    'account.sessions.revoke': 'Esci da tutti gli altri dispositivi',
    'account.back': 'Indietro',

    'requestCredential.title': 'Richiedi le tue credenziali',
    'requestCredential.heading': 'Richiedi le tue credenziali',
    'requestCredential.lead':
      'Dicci chi sei e perché ti serve l’accesso. Il team di supporto esamina ogni richiesta e risponde via email.',
    'requestCredential.fullName': 'Nome e cognome',
    'requestCredential.company': 'Azienda',
    'requestCredential.email': 'Email di lavoro',
    'requestCredential.emailHint':
      'La risposta, e il tuo account se la richiesta è approvata, arrivano a questo indirizzo.',
    'requestCredential.phone': 'Telefono',
    'requestCredential.optional': '(facoltativo)',
    'requestCredential.reason': 'Perché ti serve l’accesso?',
    'requestCredential.reasonHint': 'Bastano poche parole: ad esempio il tuo ruolo, o il tuo contratto di supporto.',
    'requestCredential.submit': 'Invia richiesta',
    'requestCredential.busy': 'Invio in corso…',
    'requestCredential.back': 'Torna alla pagina di accesso',
    'requestCredential.referenceLabel': 'Il tuo riferimento, da citare se contatti il team di supporto:',
    'requestCredential.next':
      'Ti risponderemo via email dopo aver esaminato la richiesta. Se è approvata, l’email contiene il tuo nome utente e una password temporanea.',
  },
  script: {
    'password.show': 'Mostra',
    'password.hide': 'Nascondi',
    'password.showLabel': 'Mostra la password',
    'password.hideLabel': 'Nascondi la password',

    'login.signedOut': 'Hai chiuso la sessione.',
    'login.sessionEnded': 'La sessione è terminata. Accedi di nuovo per continuare.',
    'login.needUsername': 'Inserisci il nome utente o l’indirizzo email.',
    'login.needPassword': 'Inserisci la password.',
    'login.passkeyCancelled': 'Non è stata usata nessuna passkey. Riprova, o accedi con la password.',
    'login.passkeyFailed':
      'Questo browser non è riuscito a usare una passkey in questo momento. Riprova, o accedi con la password.',
    'login.reauthenticate': 'Accedi di nuovo per aggiungere o rimuovere passkey, poi apri la pagina del tuo account.',

    'forgot.needLogin': "Inserisci il nome utente o l'indirizzo email del tuo account.",
    'forgot.sentHeading': 'Controlla la posta',
    'forgot.sent':
      "Se esiste un account corrispondente, ti abbiamo inviato un'email con un link per ricevere una nuova password. Può impiegare qualche minuto ad arrivare; controlla anche la cartella spam. Il link funziona una sola volta, per poco tempo.",

    'reset.limitNote':
      'Per la tua sicurezza, un account riceve al massimo {count} link in {minutes} minuti, e le richieste successive non inviano nulla. Se entro 10 minuti non arriva nessuna email, controlla la cartella spam, poi attendi {minutes} minuti prima di chiedere di nuovo, o contatta il tuo supporto.',
    'reset.newLinkSent':
      'Se il link apparteneva a un account, abbiamo inviato un nuovo link al suo indirizzo email. Può impiegare qualche minuto ad arrivare.',

    'newPassword.needPassword': 'Inserisci una nuova password.',
    'newPassword.needRepeat': 'Ripeti la nuova password.',
    'newPassword.stillNeeds': 'Alla password manca ancora: {rules}.',
    'newPassword.different': 'Le due password sono diverse. Scrivi la stessa password due volte.',
    'newPassword.ruleMet': 'fatto',
    'newPassword.ruleUnmet': 'non ancora',
    'newPassword.ruleOnSave': 'verificata al salvataggio',
    'newPassword.ruleRefused': 'non rispettata, scegli un’altra password',
    'newPassword.allMet':
      'La password rispetta tutte le regole verificate mentre scrivi; se è una password di uso comune si verifica al salvataggio.',
    'newPassword.remaining': 'Regole ancora da rispettare: {count}.',

    'rule.min_length': 'Almeno {min} caratteri',
    'rule.max_length': 'Al massimo {max} caratteri',
    'rule.lowercase': 'Una lettera minuscola (a-z)',
    'rule.uppercase': 'Una lettera maiuscola (A-Z)',
    'rule.digit': 'Una cifra (0-9)',
    'rule.symbol': 'Un simbolo come ! @ # $ %',
    'rule.no_context_words': 'Non contiene il tuo nome utente, la prima parte del tuo indirizzo email né {portal}',
    'rule.no_edge_spaces': "Nessuno spazio all'inizio o alla fine",
    'rule.not_common': 'Non una password di uso comune',

    'signedIn.as': 'Hai effettuato l’accesso come {username}.',
    'setup.scan': 'Scansiona questo codice QR con la tua app di autenticazione.',
    'setup.qrAlt': 'Codice QR per la tua app di autenticazione',
    'setup.manual': 'Non riesci a scansionarlo? Inserisci invece questa chiave nell’app:',
    'setup.typeCode': 'Inserisci il codice di 6 cifre che l’app mostra ora.',
    'setup.codeLabel': 'Codice dell’app',
    'setup.confirm': 'Conferma',
    'setup.busy': 'Verifica in corso…',
    'setup.needCode': 'Inserisci il codice di 6 cifre della tua app di autenticazione.',
    'secondStep.codeLabel': 'Codice dell’app di autenticazione',
    'secondStep.codeLead':
      'La password è corretta. Inserisci il codice di 6 cifre che la tua app di autenticazione mostra ora.',
    'secondStep.recoveryLabel': 'Codice di recupero',
    'secondStep.recoveryLead': 'Inserisci uno dei tuoi codici di recupero. Ogni codice vale una volta.',
    'secondStep.useCode': 'Usa invece l’app di autenticazione',
    'secondStep.useRecoveryAgain': 'Usa invece un codice di recupero',
    'secondStep.needCode': 'Inserisci il codice.',
    'secondStep.passkeyHeading': 'Conferma che sei tu',
    'secondStep.codeLeadOr': 'Inserisci il codice di 6 cifre che la tua app di autenticazione mostra ora.',
    'secondStep.passkeyCancelled': 'Non è stata usata nessuna passkey. Riprova, o inserisci invece un codice.',
    'secondStep.passkeyCancelledOnly': 'Non è stata usata nessuna passkey. Premi “Usa la tua passkey” per riprovare.',
    'secondStep.passkeyFailed':
      'Questo browser non è riuscito a usare la tua passkey in questo momento. Riprova, o inserisci invece un codice.',
    'secondStep.passkeyUnsupported':
      'Questo account accede con una passkey, e questo browser non può usare passkey. Usa un browser o un dispositivo che lo permetta, o chiedi al tuo supporto di reimpostare il secondo fattore.',
    'account.totp.on': 'Un’app di autenticazione è configurata: l’accesso chiede il suo codice dopo la password.',
    'account.totp.off': 'Nessuna app di autenticazione configurata: l’accesso chiede solo la password.',
    'account.totp.offPasskeys':
      'Nessuna app di autenticazione configurata: dopo la password, l’accesso chiede una delle tue passkey.',
    'account.totp.start': 'Configura un’app di autenticazione',
    'account.totp.added':
      'L’app di autenticazione è configurata. Salva i codici di recupero qui sotto: li vedi solo ora.',
    'account.totp.removeLabel': 'Per rimuoverla, inserisci un codice attuale dell’app',
    'account.totp.remove': 'Rimuovi l’app di autenticazione',
    'account.totp.removed': 'L’app di autenticazione è stata rimossa e i suoi codici di recupero non valgono più.',
    'account.recovery.left': 'Restano {count} codici di recupero non usati.',
    'account.recovery.none': 'I codici di recupero arrivano con un’app di autenticazione.',
    'account.recovery.regenerated': 'I nuovi codici di recupero sono qui sotto; i vecchi non valgono più.',
    'account.sessions.current': 'Questo browser: dal {since}, fino al {until}',
    'account.sessions.other': 'Un altro browser: dal {since}, fino al {until}',
    'account.sessions.revoked': 'Disconnesso da tutti gli altri dispositivi ({count} sessioni chiuse).',
    'account.passkeys.none': 'Ancora nessuna passkey.',
    'account.passkeys.added': 'Aggiunta il {date}',
    'account.passkeys.lastUsed': 'ultimo uso il {date}',
    'account.passkeys.neverUsed': 'mai usata',
    'account.passkeys.synced': 'sincronizzata tra i tuoi dispositivi',
    'account.passkeys.deviceOnly': 'solo su questo dispositivo',
    'account.passkeys.remove': 'Rimuovi',
    'account.passkeys.removeLabel': 'Rimuovi la passkey {name}',
    'account.passkeys.confirm': 'Rimuovere la passkey “{name}”? Non potrai più accedere con quella.',
    'account.passkeys.confirmYes': 'Sì, rimuovila',
    'account.passkeys.removeBusy': 'Rimozione in corso…',
    'account.passkeys.confirmNo': 'Tienila',
    'account.passkeys.removed': 'La passkey “{name}” è stata rimossa. Ti abbiamo inviato un avviso via email.',
    'account.passkeys.addedNotice':
      'La passkey “{name}” è stata aggiunta: ora puoi accedere con quella. Ti abbiamo inviato un avviso via email.',
    'account.passkeys.cancelled': 'Non è stata aggiunta nessuna passkey. Riprova quando vuoi.',
    'account.passkeys.exists':
      'Questo dispositivo ha già una passkey per il tuo account. Accedi con quella, o aggiungi una passkey su un altro dispositivo.',
    'account.passkeys.failed':
      'Questo browser non è riuscito a creare una passkey in questo momento. Riprova, o usa un altro browser o dispositivo.',
    'account.passkeys.unsupported':
      'Questo browser non può creare passkey. Usa un browser recente per aggiungerne una.',
    'account.passkeys.needName': 'Inserisci un nome per la passkey, ad esempio “Portatile di lavoro”.',
    'account.passkeys.defaultName': '{browser} su {platform}',
    'signedIn.continueTo': 'Continua su {name}',
    'signedIn.toTool': 'Ti riportiamo allo strumento…',
    'login.toolExpired': 'L’accesso per il tuo strumento ha richiesto troppo tempo. Torna allo strumento e ricomincia.',
    'login.forTool': 'Accedi per continuare sul tuo strumento.',

    'requestCredential.sentHeading': 'Richiesta ricevuta',
    'requestCredential.sent': 'Grazie: abbiamo ricevuto la tua richiesta.',
    'requestCredential.needFullName': 'Inserisci nome e cognome.',
    'requestCredential.needCompany': 'Inserisci il nome della tua azienda.',
    'requestCredential.needEmail': 'Inserisci il tuo indirizzo email di lavoro.',
    'requestCredential.needReason': 'Spiega in poche parole perché ti serve l’accesso.',
    'requestCredential.tooShort': 'Troppo corto: almeno {min} caratteri.',
    'requestCredential.tooLong': 'Troppo lungo: al massimo {max} caratteri.',
    'requestCredential.nameCharacters': "Usa solo lettere, spazi e . , ' -",
    'requestCredential.companyCharacters': "Usa solo lettere, cifre, spazi e . , & ' ( ) + ! -",
    'requestCredential.reasonCharacters': 'Togli i segni < e > ed eventuali caratteri invisibili.',
    'requestCredential.emailFormat': 'Inserisci un indirizzo email come nome@azienda.it.',
    'requestCredential.phoneFormat':
      'Inserisci un numero di telefono da 6 a 15 cifre, come +39 02 1234 5678, o lascia vuoto il campo.',
    'requestCredential.reasonCount': '{count} di {max} caratteri',

    'error.network': 'Non riusciamo a raggiungere il portale. Controlla la connessione, poi riprova.',
    'error.bad_response': 'Il portale ha risposto in un modo che questa pagina non capisce. Riprova tra un minuto.',
    'error.unknown': 'Qualcosa non ha funzionato. Riprova tra un minuto.',
    'error.invalid_json':
      'La pagina ha inviato una richiesta che il portale non sa leggere. Ricarica la pagina e riprova.',
    'error.invalid_request': 'Nel modulo manca qualcosa o c’è un valore sbagliato. Controlla e riprova.',
    'error.invalid_encoding':
      'La pagina ha inviato una richiesta che il portale non sa leggere. Ricarica la pagina e riprova.',
    'error.unsupported_media_type':
      'La pagina ha inviato una richiesta che il portale non sa leggere. Ricarica la pagina e riprova.',
    'error.payload_too_large': 'Il testo inserito è troppo lungo per questo modulo.',
    'error.forbidden_origin':
      'Questa richiesta proviene da un altro sito ed è stata rifiutata. Apri direttamente il portale e riprova.',
    'error.not_found': 'Il portale non ha riconosciuto questa richiesta. Ricarica la pagina e riprova.',
    'error.method_not_allowed': 'Il portale non ha riconosciuto questa richiesta. Ricarica la pagina e riprova.',
    'error.link_invalid':
      "Questo link di reimpostazione non è valido. Controlla di aver copiato tutto il link dall'email, o chiedi un nuovo link.",
    'error.link_used':
      'Questo link di reimpostazione è già stato usato. Se ti serve ancora una nuova password, chiedi un nuovo link.',
    'error.link_expired': 'Questo link di reimpostazione è scaduto. Chiedi un nuovo link; basta un minuto.',
    'error.link_replaced':
      "È stato inviato un link più recente, quindi questo non funziona più. Usa l'email più recente, o chiedi un nuovo link.",
    'error.link_busy': 'Questo link è in uso proprio ora, forse in un’altra scheda. Attendi un minuto, poi riprova.',
    'error.invalid_credentials':
      'Il nome utente o la password non sono corretti. Controllali e riprova, o usa "Password dimenticata?".',
    'error.password_policy': 'La nuova password non rispetta le regole.',
    'error.challenge_expired':
      "Il passaggio per scegliere una nuova password è scaduto. Accedi di nuovo con la password dell'email.",
    'error.temporary_password_expired':
      'La password ricevuta via email è scaduta: funziona solo per poco tempo. Usa "Password dimenticata?" per riceverne una nuova.',
    'error.not_signed_in': 'Non hai effettuato l’accesso. Accedi per continuare.',
    'error.second_factor_invalid':
      'Il codice non è corretto, o è già stato usato. Inserisci il codice attuale della tua app di autenticazione (o un codice di recupero non usato) e riprova.',
    'error.second_step_expired': 'Il secondo passaggio dell’accesso è scaduto. Accedi di nuovo con la tua password.',
    'error.factor_exists': 'Un’app di autenticazione è già configurata. Rimuovila prima se vuoi configurarne un’altra.',
    'error.enrolment_missing':
      'Nessuna configurazione dell’autenticatore è in attesa, o è passato troppo tempo. Ricomincia e scansiona il nuovo codice.',
    'error.passkey_invalid':
      'La passkey non è stata accettata: forse è stata rimossa da questo account, o la richiesta ha impiegato troppo tempo. Riprova, o accedi con la password.',
    'error.passkey_limit':
      'Questo account ha già il numero massimo di passkey. Rimuovine una che non usi più, poi aggiungi quella nuova.',
    'error.passkey_not_found':
      'Questa passkey non è più su questo account. Ricarica la pagina per vedere le passkey presenti.',
    'error.reauthentication_required':
      'Per la tua sicurezza, aggiungere o rimuovere una passkey richiede un accesso recente. Accedi di nuovo, poi fai la modifica.',
    'error.rate_limited': 'Troppi tentativi in poco tempo. Attendi qualche minuto, poi riprova.',
    'error.temporarily_unavailable':
      'Non siamo riusciti a completare l’operazione e non è stato cambiato nulla. Riprova tra un minuto.',
    'error.internal_error':
      'Qualcosa non ha funzionato da parte nostra. Riprova tra un minuto; se succede ancora, contatta il supporto.',
  },
};

export const catalogue: Record<Language, { page: Record<PageKey, string>; script: ScriptText }> = { en, it };

/** Fills `{name}` placeholders. */
export function format(text: string, values: Readonly<Record<string, string | number>> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
