// One Powertools logger per container; each invocation logs through a child carrying its request
// id, so concurrent requests in the local runner never mix their ids.
import { Logger } from '@aws-lambda-powertools/logger';

export const rootLogger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'support-access' });

export function requestLogger(requestId: string): Logger {
  return rootLogger.createChild({ persistentKeys: { requestId } });
}
