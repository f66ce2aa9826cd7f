// Stands in for @aws-sdk/credential-provider-node in the Lambda bundles (lib/bundling.ts aliases
// it). Every SDK client imports that chain (environment, SSO, ini files, process, web identity,
// container and instance metadata, with their own nested STS and SSO clients: ~135 KB minified and
// a good part of each cold start), yet a function only ever finds its credentials in its
// environment: Lambda sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN from the
// function's role, and the local stack sets them per function (local/function-runtime.ts).
// Code not bundled (the ops CLI, the tests) keeps the full chain.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
