// An in-process stand-in for SQS: it answers the SDK's SendMessage (AWS JSON protocol) on a
// loopback port, and delivers each message to the real worker handler as an SQS event. A failed
// delivery is retried after a delay, up to the queue's maxReceiveCount, then kept as a dead letter,
// as SQS with a redrive policy would.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type QueueWorker = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface LocalQueueOptions {
  readonly name: string;
  readonly maxReceiveCount: number;
  readonly retryDelayMs: number;
  readonly onDeadLetter?: (body: string) => void;
}

export interface QueueStats {
  readonly inFlight: number;
  readonly delivered: number;
  readonly retried: number;
  readonly deadLetters: readonly string[];
}

interface Message {
  readonly id: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
}

export class LocalQueue {
  private server: Server | undefined;
  private worker: QueueWorker | undefined;
  private inFlight = 0;
  private delivered = 0;
  private retried = 0;
  private readonly deadLetters: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleWaiters: (() => void)[] = [];
  url = '';
  /** Where the SDK sends SendMessage: the AWS_ENDPOINT_URL_SQS for the handlers. */
  endpoint = '';

  constructor(private readonly options: LocalQueueOptions) {}

  get name(): string {
    return this.options.name;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    const { port } = this.server.address() as AddressInfo;
    this.endpoint = `http://127.0.0.1:${port}`;
    this.url = `${this.endpoint}/000000000000/${this.options.name}`;
    return this.url;
  }

  /** The worker is attached after start, once the handlers are loaded with the queue's URL. */
  attach(worker: QueueWorker): void {
    this.worker = worker;
  }

  stats(): QueueStats {
    return {
      inFlight: this.inFlight,
      delivered: this.delivered,
      retried: this.retried,
      deadLetters: [...this.deadLetters],
    };
  }

  /** Resolves once no message is queued, being handled or waiting for a retry. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(body));
    };
    if (target !== 'AmazonSQS.SendMessage') {
      reply(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `${target} is not emulated` });
      return;
    }
    const { MessageBody } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { MessageBody?: string };
    if (typeof MessageBody !== 'string' || MessageBody.length === 0) {
      reply(400, { __type: 'com.amazonaws.sqs#MissingParameter', message: 'MessageBody is required' });
      return;
    }
    const message: Message = { id: randomUUID(), body: MessageBody, sentAt: Date.now(), receiveCount: 0 };
    this.inFlight++;
    // Like SQS, the sender is answered before the consumer runs.
    setImmediate(() => void this.deliver(message));
    reply(200, { MessageId: message.id, MD5OfMessageBody: createHash('md5').update(MessageBody).digest('hex') });
  }

  private record(message: Message): SQSRecord {
    return {
      messageId: message.id,
      receiptHandle: `${message.id}#${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.options.name}`,
      awsRegion: 'local',
    };
  }

  private async deliver(message: Message): Promise<void> {
    message.receiveCount++;
    let failed: boolean;
    try {
      if (!this.worker) throw new Error('no worker attached');
      const result = await this.worker({ Records: [this.record(message)] });
      failed = (result?.batchItemFailures ?? []).some((f) => f.itemIdentifier === message.id);
    } catch {
      failed = true;
    }
    if (!failed) {
      this.delivered++;
      this.settle();
      return;
    }
    if (message.receiveCount >= this.options.maxReceiveCount) {
      this.deadLetters.push(message.body);
      this.options.onDeadLetter?.(message.body);
      this.settle();
      return;
    }
    this.retried++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deliver(message);
    }, this.options.retryDelayMs);
    this.timers.add(timer);
  }

  private settle(): void {
    this.inFlight--;
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
