// The header CloudFront adds to every request it sends to the API, and the API's authorizer checks.
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/** Generated secrets are 48 characters; anything under 32 is not one of ours. */
export const ORIGIN_SECRET_LENGTH = 48;
export const ORIGIN_SECRET_MIN_LENGTH = 32;

/**
 * How long a value is trusted without asking again: the authorizer's own cache of the secret and
 * API Gateway's cache of the authorizer's answer. After a second rotation revokes a value, it is
 * refused within this time (it was an hour once: a leaked secret stayed good that long).
 */
export const ORIGIN_SECRET_CACHE_SECONDS = 300;

/** Days between automatic rotations of the origin secret. */
export const ORIGIN_SECRET_ROTATION_DAYS = 30;

/** How soon a value the authorizer's cache does not know may trigger a fresh read (bounds Secrets Manager calls). */
export const REFRESH_ON_MISS_MS = 10_000;
