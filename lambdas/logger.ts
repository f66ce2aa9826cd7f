// One Powertools logger per container; each invocation logs through a child carrying its request
// id, so concurrent requests in the local runner never mix their ids. Every string that reaches a
// log line, SDK error messages included, has email addresses masked.
import { Logger } from '@aws-lambda-powertools/logger';
import { maskLogin } from './domain/privacy';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export function maskEmails(text: string): string {
  return text.replace(EMAIL, (address) => maskLogin(address));
}

export const rootLogger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'support-access',
  jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? maskEmails(value) : value),
});

export function requestLogger(requestId: string): Logger {
  return rootLogger.createChild({ persistentKeys: { requestId } });
}
