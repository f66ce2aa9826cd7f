import type { Language } from './languages';

// Second factors, defined once: the authenticator-app (TOTP, RFC 6238) parameters every app
// understands, recovery codes, and how long the second step of a sign-in may wait.

export const totpParameters = {
  /** SHA-1, 6 digits, 30 s: the only combination every authenticator app reads from a QR code. */
  algorithm: 'SHA1',
  digits: 6,
  periodSeconds: 30,
  /** Codes of the step before and after are accepted too (phone clocks drift; RFC 6238 5.2). */
  window: 1,
  /** 160-bit secrets (RFC 4226 recommends at least 128, SHA-1's block favours 160). */
  secretBytes: 20,
} as const;

export const recoveryCodeRules = {
  count: 10,
  /** Characters per code, drawn from an alphabet without look-alikes: 10 x 5 bits = 50 bits. */
  length: 10,
  alphabet: 'abcdefghjkmnpqrstuvwxyz23456789',
} as const;

export const secondStepDefaults = {
  /** How long the second step may wait after the password was right. */
  stepSeconds: 300,
  /** How long a started authenticator enrolment may wait for its first code. */
  enrolmentMinutes: 15,
} as const;

/** The ways a session can have been proved, as RFC 8176 names them (the ID token's `amr`). */
export type AuthenticationMethod = 'pwd' | 'otp' | 'hwk' | 'swk' | 'mfa' | 'user';

/**
 * The ID token's `acr`: how strong the sign-in was, one value a tool can compare. Passkeys use the
 * OpenID EAP ACR values (phishing-resistant; `phrh` when the key is bound to hardware); a password
 * with an authenticator or recovery code, and a password alone, have this portal's own names.
 */
export const acrValues = {
  password: 'urn:support-access:acr:pwd',
  multiFactor: 'urn:support-access:acr:mfa',
  phishingResistant: 'phr',
  phishingResistantHardware: 'phrh',
} as const;

export type AcrValue = (typeof acrValues)[keyof typeof acrValues];

export function acrFor(amr: readonly string[]): AcrValue {
  if (amr.includes('hwk')) return acrValues.phishingResistantHardware;
  if (amr.includes('swk')) return acrValues.phishingResistant;
  if (amr.includes('otp') || amr.includes('mfa')) return acrValues.multiFactor;
  return acrValues.password;
}

/** What the second step accepts from the page. */
export type SecondFactorMethod = 'totp' | 'recovery' | 'passkey';

/** Changes to how a person signs in; each is confirmed by email (the security notice). */
export type SecurityChange =
  | 'totp_added'
  | 'totp_removed'
  | 'recovery_codes_renewed'
  | 'recovery_code_used'
  | 'sessions_ended'
  | 'passkey_added'
  | 'passkey_removed'
  | 'factors_reset_by_support';

/** The words of each change in the security notice, per language. */
export const securityChangeText: Readonly<Record<SecurityChange, Readonly<Record<Language, string>>>> = {
  totp_added: {
    en: 'An authenticator app was set up, with ten new recovery codes.',
    it: 'È stata configurata un’app di autenticazione, con dieci nuovi codici di recupero.',
  },
  totp_removed: {
    en: 'The authenticator app was removed, with its recovery codes.',
    it: 'L’app di autenticazione è stata rimossa, con i suoi codici di recupero.',
  },
  recovery_codes_renewed: {
    en: 'New recovery codes were made; the old ones no longer work.',
    it: 'Sono stati creati nuovi codici di recupero; i vecchi non valgono più.',
  },
  recovery_code_used: {
    en: 'A recovery code was used to sign in.',
    it: 'Per accedere è stato usato un codice di recupero.',
  },
  sessions_ended: {
    en: 'You were signed out everywhere else.',
    it: 'Sei stato disconnesso da tutti gli altri dispositivi.',
  },
  passkey_added: {
    en: 'A passkey was added to your account: {name}.',
    it: 'Al tuo account è stata aggiunta una passkey: {name}.',
  },
  passkey_removed: {
    en: 'A passkey was removed from your account: {name}.',
    it: 'Dal tuo account è stata rimossa una passkey: {name}.',
  },
  factors_reset_by_support: {
    en: 'The support team removed your second factors at your request. Set up a new one on your account page.',
    it: 'Il team di supporto ha rimosso i tuoi secondi fattori su tua richiesta. Configurane uno nuovo nella pagina del tuo account.',
  },
};
