// The credential request body: the shape checked by zod (strict: unknown fields refused), the
// content by the same check the page runs (lambdas/definitions/credential-request.ts).
import * as z from 'zod';
import {
  type CredentialRequestField,
  checkCredentialRequest,
  issueText,
  normaliseCredentialRequest,
} from '../definitions/credential-request';
import { languageField } from './schemas';

const text = (what: string) => z.string({ error: `${what} must be text` }).max(2000, `${what} is far too long`);

export const credentialRequestSchema = z
  .strictObject({
    fullName: text('fullName'),
    company: text('company'),
    email: text('email'),
    phone: text('phone').optional(),
    reason: text('reason'),
    language: languageField.optional(),
  })
  .superRefine((body, ctx) => {
    const issues = checkCredentialRequest(body);
    for (const [field, issue] of Object.entries(issues) as [
      CredentialRequestField,
      NonNullable<(typeof issues)[CredentialRequestField]>,
    ][]) {
      ctx.addIssue({ code: 'custom', path: [field], message: issueText(field, issue) });
    }
  })
  .transform((body) => ({ ...normaliseCredentialRequest(body), language: body.language }));

export type CredentialRequestBody = z.infer<typeof credentialRequestSchema>;
