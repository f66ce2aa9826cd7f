// SQS adapter for the reset-request queue.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { assertSqsMessageBody } from '../definitions/aws-input-rules';
import type { ResetRequestMessage, ResetRequestQueue } from '../domain/ports';

export class SqsResetRequestQueue implements ResetRequestQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: ResetRequestMessage): Promise<void> {
    const body = JSON.stringify(message);
    assertSqsMessageBody(body);
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
  }
}
