// Typed failures the domain raises. lambdas/http/problems.ts maps each code to a status and the
// words a person reads; no SDK message ever reaches a client.

export type DomainErrorCode =
  | 'link_invalid'
  | 'link_used'
  | 'link_expired'
  | 'link_replaced'
  | 'link_busy'
  | 'invalid_credentials'
  | 'password_policy'
  | 'challenge_expired'
  | 'temporary_password_expired'
  | 'not_signed_in'
  | 'rate_limited'
  | 'second_factor_invalid'
  | 'second_step_expired'
  | 'factor_exists'
  | 'enrolment_missing'
  | 'passkey_invalid'
  | 'passkey_limit'
  | 'passkey_not_found'
  | 'reauthentication_required'
  | 'temporarily_unavailable';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class LinkInvalid extends DomainError {
  constructor() {
    super('link_invalid', 'the reset link is malformed or unknown');
  }
}
export class LinkUsed extends DomainError {
  constructor() {
    super('link_used', 'the reset link has already been used');
  }
}
export class LinkExpired extends DomainError {
  constructor() {
    super('link_expired', 'the reset link has expired');
  }
}
export class LinkReplaced extends DomainError {
  constructor() {
    super('link_replaced', 'a newer reset link replaced this one');
  }
}
export class LinkBusy extends DomainError {
  constructor() {
    super('link_busy', 'the reset link is being processed by another request');
  }
}
export class InvalidCredentials extends DomainError {
  constructor() {
    super('invalid_credentials', 'wrong username or password');
  }
}
export class PasswordPolicyViolation extends DomainError {
  constructor(readonly rules: readonly string[]) {
    super('password_policy', `password breaks rules: ${rules.join(', ')}`, { rules });
  }
}
export class ChallengeExpired extends DomainError {
  constructor() {
    super('challenge_expired', 'the new-password step is missing or has expired');
  }
}
export class TemporaryPasswordExpired extends DomainError {
  constructor() {
    super('temporary_password_expired', 'the temporary password is past its lifetime');
  }
}
export class NotSignedIn extends DomainError {
  constructor() {
    super('not_signed_in', 'no valid session');
  }
}
/** A dependency failed; the operation left nothing half-done and may be tried again. */
export class TemporarilyUnavailable extends DomainError {
  constructor(operation: string, cause?: unknown) {
    super('temporarily_unavailable', `${operation} failed`);
    if (cause !== undefined) this.cause = cause;
  }
}
export class SecondFactorInvalid extends DomainError {
  constructor() {
    super('second_factor_invalid', 'the code is wrong, already used or too old');
  }
}
export class SecondStepExpired extends DomainError {
  constructor() {
    super('second_step_expired', 'the second step of the sign-in is missing or has expired');
  }
}
export class FactorExists extends DomainError {
  constructor() {
    super('factor_exists', 'an authenticator app is already set up');
  }
}
export class EnrolmentMissing extends DomainError {
  constructor() {
    super('enrolment_missing', 'no authenticator set-up is waiting for its first code');
  }
}
/** The browser's passkey answer was not accepted: unknown or removed passkey, stale ceremony, bad signature. */
export class PasskeyInvalid extends DomainError {
  constructor(reason: string) {
    super('passkey_invalid', `the passkey was not accepted: ${reason}`);
  }
}
export class PasskeyLimit extends DomainError {
  constructor(max: number) {
    super('passkey_limit', `the account already has ${max} passkeys`, { max });
  }
}
export class PasskeyNotFound extends DomainError {
  constructor() {
    super('passkey_not_found', 'the account has no passkey with that id');
  }
}
/** The change needs a recent sign-in (ASVS 5.0 7.5.1). */
export class ReauthenticationRequired extends DomainError {
  constructor(minutes: number) {
    super('reauthentication_required', `this change needs a sign-in from the last ${minutes} minutes`, { minutes });
  }
}
