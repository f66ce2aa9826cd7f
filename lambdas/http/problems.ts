// Every error a client can see: a stable code, an HTTP status and words that say what happened and
// what to do next. Pages show `message` (or their own translation of `error`).
import type { DomainErrorCode } from '../domain/errors';

export type ProblemCode =
  | DomainErrorCode
  | 'invalid_json'
  | 'invalid_request'
  | 'invalid_encoding'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'forbidden_origin'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal_error';

export interface ProblemDefinition {
  readonly status: number;
  readonly message: string;
}

export const problems: Record<ProblemCode, ProblemDefinition> = {
  invalid_json: {
    status: 400,
    message: 'The request body is not valid JSON. Send a JSON object, for example {"login": "your.name"}.',
  },
  invalid_request: { status: 400, message: 'The request is missing something or has a wrong value.' },
  invalid_encoding: { status: 400, message: 'The request body is not valid UTF-8 text.' },
  unsupported_media_type: {
    status: 415,
    message: 'The request body must be JSON, sent with "Content-Type: application/json".',
  },
  payload_too_large: { status: 413, message: 'The request body is too large; these forms need only a few words.' },
  forbidden_origin: {
    status: 403,
    message: 'This request came from another site and was refused. Open the portal directly and try again.',
  },
  not_found: { status: 404, message: 'There is nothing at this address.' },
  method_not_allowed: { status: 405, message: 'This address does not accept that method.' },
  link_invalid: {
    status: 400,
    message:
      'This reset link is not valid. Check that you copied the whole link from the email, or ask for a new link.',
  },
  link_used: {
    status: 410,
    message: 'This reset link has already been used. If you still need a new password, ask for a new link.',
  },
  link_expired: { status: 410, message: 'This reset link has expired. Ask for a new link; it takes a minute.' },
  link_replaced: {
    status: 410,
    message: 'A newer reset link was sent, so this one no longer works. Use the newest email, or ask for a new link.',
  },
  link_busy: {
    status: 409,
    message: 'This link is being used right now, perhaps in another tab. Wait a minute, then try again.',
  },
  invalid_credentials: {
    status: 401,
    message: 'The username or password is not right. Check both and try again, or use "Forgot your password?".',
  },
  password_policy: { status: 400, message: 'The new password does not meet the password rules.' },
  challenge_expired: {
    status: 401,
    message: 'The step to choose a new password has expired. Sign in again with the password from the email.',
  },
  temporary_password_expired: {
    status: 401,
    message:
      'The password from the email has expired: it works only for a short time. Use "Forgot your password?" to get a new one.',
  },
  not_signed_in: { status: 401, message: 'You are not signed in. Sign in to continue.' },
  rate_limited: {
    status: 429,
    message: 'Too many attempts in a short time. Please wait a few minutes, then try again.',
  },
  second_factor_invalid: {
    status: 401,
    message:
      'That code is not right, or it was already used. Type the current code from your authenticator app (or an unused recovery code) and try again.',
  },
  second_step_expired: {
    status: 401,
    message: 'The second step of signing in has expired. Sign in again with your password.',
  },
  factor_exists: {
    status: 409,
    message: 'An authenticator app is already set up. Remove it first if you want to set up another one.',
  },
  enrolment_missing: {
    status: 409,
    message: 'No authenticator set-up is waiting, or it took too long. Start the set-up again and scan the new code.',
  },
  passkey_invalid: {
    status: 401,
    message:
      'That passkey was not accepted: it may have been removed from this account, or the request took too long. Try again, or sign in with your password.',
  },
  passkey_limit: {
    status: 409,
    message:
      'This account already has the most passkeys it can hold. Remove one you no longer use, then add the new one.',
  },
  passkey_not_found: {
    status: 404,
    message: 'That passkey is no longer on this account. Reload the page to see the passkeys there are.',
  },
  reauthentication_required: {
    status: 403,
    message:
      'For your safety, changing how you sign in needs a recent sign-in. Sign out, sign in again, then make the change.',
  },
  temporarily_unavailable: {
    status: 503,
    message: 'We could not finish this just now and nothing was changed. Please try again in a minute.',
  },
  internal_error: {
    status: 500,
    message: 'Something went wrong on our side. Please try again in a minute; if it keeps happening, contact support.',
  },
};
