// The reset-request queue: the request endpoint answers at once and the worker sends the email
// from here, retrying a failed message a few times before it parks in the dead-letter queue.
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueConsumers } from '../../lambdas/definitions/routes';
import type { PortalFunction } from './lambda-function';

const consumer = queueConsumers.resetRequests;

/**
 * AWS asks for a queue visibility timeout of at least six times the function timeout, so a batch
 * retried after throttling is not delivered twice. The definition fixes the visibility timeout;
 * the worker gets the rest.
 */
export const WORKER_TIMEOUT = Duration.seconds(Math.floor(consumer.visibilityTimeoutSeconds / 6));

export class ResetQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time for a person to look before a failed request is gone.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(consumer.visibilityTimeoutSeconds),
      // A reset email a day late only confuses; the user will have asked again long before.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: consumer.maxReceiveCount },
    });
  }

  /** Connects the worker: one message per invocation, failures reported per message. */
  addWorker(worker: PortalFunction): void {
    worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        // Two at a time stays well inside SES's default sending rate even during a burst of requests.
        maxConcurrency: 2,
      }),
    );
  }
}
