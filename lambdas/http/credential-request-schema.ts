// The credential request body: the shape checked by zod (strict: unknown fields refused), the
// content by the same check the page runs (lambdas/definitions/credential-request.ts).

import * as z from 'zod/mini';
import {
  type CredentialRequestField,
  checkCredentialRequest,
  issueText,
  normaliseCredentialRequest,
} from '../definitions/credential-request';
import { languageField } from './schemas';
import './zod-messages';

const text = (what: string) =>
  z.string({ error: `${what} must be text` }).check(z.maxLength(2000, `${what} is far too long`));

const shape = z
  .strictObject({
    fullName: text('fullName'),
    company: text('company'),
    email: text('email'),
    phone: z.optional(text('phone')),
    reason: text('reason'),
    language: z.optional(languageField),
  })
  .check(
    z.superRefine((body, ctx) => {
      const issues = checkCredentialRequest(body);
      for (const [field, issue] of Object.entries(issues) as [
        CredentialRequestField,
        NonNullable<(typeof issues)[CredentialRequestField]>,
      ][]) {
        ctx.addIssue({ code: 'custom', path: [field], message: issueText(field, issue) });
      }
    }),
  );

export const credentialRequestSchema = z.pipe(
  shape,
  z.transform((body: z.infer<typeof shape>) => ({ ...normaliseCredentialRequest(body), language: body.language })),
);

export type CredentialRequestBody = z.infer<typeof credentialRequestSchema>;
