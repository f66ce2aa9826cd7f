// The local proxies refuse what AWS refuses but the emulators take: long or spaced usernames, long
// ListUsers filters, oversize SQS messages, bad SES template names and oversize template data.
import { inputRefusal } from '../../../local/aws-input-limits';
import type { RawRequest } from '../../../local/iam/aws-requests';

const json = (target: string, body: unknown): RawRequest => ({
  method: 'POST',
  url: '/',
  headers: { 'x-amz-target': target },
  body: Buffer.from(JSON.stringify(body)),
});
const cognito = (operation: string, body: unknown) => json(`AWSCognitoIdentityProviderService.${operation}`, body);
const sendEmail = (template: { TemplateName: string; TemplateData: string }): RawRequest => ({
  method: 'POST',
  url: '/v2/email/outbound-emails',
  headers: {},
  body: Buffer.from(JSON.stringify({ FromEmailAddress: 'a@b.example', Content: { Template: template } })),
});

describe('AWS input rules at the local proxies', () => {
  it.each(['jane doe', 'a'.repeat(129)])(
    'Cognito refuses the username %j with InvalidParameterException',
    (username) => {
      const refusal = inputRefusal('cognito', cognito('AdminGetUser', { UserPoolId: 'p', Username: username }));
      expect(refusal?.status).toBe(400);
      expect(JSON.parse(refusal?.body ?? '{}').__type).toBe('InvalidParameterException');
    },
  );

  it('lets a valid username and public calls through', () => {
    expect(
      inputRefusal('cognito', cognito('AdminGetUser', { UserPoolId: 'p', Username: 'a'.repeat(128) })),
    ).toBeUndefined();
    expect(inputRefusal('cognito', cognito('InitiateAuth', { AuthParameters: { USERNAME: 'x y' } }))).toBeUndefined();
  });

  it('refuses a ListUsers filter over 256 characters', () => {
    const filter = (length: number) => `email = "${'a'.repeat(length - 10)}"`;
    expect(inputRefusal('cognito', cognito('ListUsers', { UserPoolId: 'p', Filter: filter(256) }))).toBeUndefined();
    expect(inputRefusal('cognito', cognito('ListUsers', { UserPoolId: 'p', Filter: filter(257) }))?.status).toBe(400);
  });

  it('refuses an SQS message over 256 KiB (bytes, not characters)', () => {
    const send = (body: string) =>
      inputRefusal('sqs', json('AmazonSQS.SendMessage', { QueueUrl: 'q', MessageBody: body }));
    expect(send('a'.repeat(262_144))).toBeUndefined();
    expect(send('é'.repeat(131_073))?.status).toBe(400);
  });

  it('refuses SES template names SES would not have and template data over 256 KiB', () => {
    expect(
      inputRefusal('ses', sendEmail({ TemplateName: 'SupportAccess-reset-link-en', TemplateData: '{}' })),
    ).toBeUndefined();
    expect(inputRefusal('ses', sendEmail({ TemplateName: 'x'.repeat(65), TemplateData: '{}' }))?.status).toBe(400);
    expect(inputRefusal('ses', sendEmail({ TemplateName: 'with space', TemplateData: '{}' }))?.status).toBe(400);
    const big = inputRefusal('ses', sendEmail({ TemplateName: 't', TemplateData: 'x'.repeat(262_145) }));
    expect(big?.headers['x-amzn-errortype']).toBe('BadRequestException');
  });
});
