// The header CloudFront adds to every request it sends to the API, and the API's authorizer checks.
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
