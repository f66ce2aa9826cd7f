// SQS consumer: one queued reset request at a time. A failed record is reported back so SQS
// delivers it again, and after the last try moves it to the dead-letter queue (which alarms).
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { lifetimeConfig, siteConfig } from '../config';
import { defaultLanguage, languages } from '../definitions/languages';
import { processResetRequest } from '../domain/password-reset';
import { type ResetRequestMessage, systemClock } from '../domain/ports';
import '../http/zod-messages';
import { requestLogger } from '../logger';
import { mailer, rateCounter, rateLimits, tokenStore, userDirectory } from '../wiring';

const site = siteConfig();
const { resetTokenMinutes } = lifetimeConfig();
const users = userDirectory();
const tokens = tokenStore();
const mail = mailer();
const counter = rateCounter();
const { resetEmailsPerAccount } = rateLimits();

const messageSchema = z
  .object({
    v: z.literal(1),
    // Messages queued before languages existed read as the default.
    language: z._default(z.enum(languages), defaultLanguage),
    login: z.optional(z.string().check(z.maxLength(254))),
    tokenHash: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
    requestedAt: z.number(),
    sourceIp: z.string().check(z.maxLength(64)),
    requestId: z.string().check(z.maxLength(128)),
  })
  .check(z.refine((m) => m.login !== undefined || m.tokenHash !== undefined, 'a login or a token hash is required'));

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const parsed = messageSchema.safeParse(safeJson(record.body));
    const log = requestLogger(parsed.success ? parsed.data.requestId : record.messageId);
    if (!parsed.success) {
      // Cannot succeed on a retry either; keep it (via the dead-letter queue) for a person to see.
      log.error('malformed reset request message', { messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      const outcome = await processResetRequest(parsed.data as ResetRequestMessage, {
        users,
        counter,
        resetEmailLimit: resetEmailsPerAccount,
        tokens,
        mailer: mail,
        clock: systemClock,
        log,
        siteUrl: site.siteUrl,
        tokenMinutes: resetTokenMinutes,
      });
      log.info('reset request processed', { outcome, receiveCount: record.attributes?.ApproximateReceiveCount });
    } catch (error) {
      log.error('reset request failed; it will be retried', { error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
