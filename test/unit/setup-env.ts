// Environment for handler modules under unit test: they read configuration when first loaded.
// Every AWS client is mocked with aws-sdk-client-mock. Jest's main process may hold the local
// stack's settings (the integration suite starts it there) and workers inherit them, so anything
// the app reads is first cleared, then set to these values.
for (const name of Object.keys(process.env)) {
  if (
    name.startsWith('AWS_ENDPOINT_URL') ||
    [
      'AWS_MAX_ATTEMPTS',
      'COGNITO_GLOBAL_SIGN_OUT',
      'RATE_LIMITS',
      'RESET_TOKEN_MINUTES',
      'TEMPORARY_PASSWORD_MINUTES',
      'SESSION_MINUTES',
      'SESSION_IDLE_MINUTES',
      'PORTAL_NAME',
      'PRIMARY_COLOUR',
      'SES_CONFIGURATION_SET',
      'OPS_COMMAND_ARGS',
    ].includes(name)
  ) {
    delete process.env[name];
  }
}

Object.assign(process.env, {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
  SITE_URL: 'https://support.example.com',
  TABLE_NAME: 'support-access-test',
  USER_POOL_ID: 'eu-west-1_TEST',
  USER_POOL_CLIENT_ID: 'test-client',
  SENDER_EMAIL: 'no-reply@support.example.com',
  OPS_EMAIL: 'ops@support.example.com',
  EMAIL_TEMPLATE_PREFIX: 'support-access',
  RESET_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/reset-requests',
});
