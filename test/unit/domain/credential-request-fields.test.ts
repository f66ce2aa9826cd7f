// The form's rules, shared by the page and the API: what people really type passes, hostile
// input does not, and references are read the way people quote them.
import {
  checkCredentialRequest,
  normaliseCredentialRequest,
  normaliseReference,
  REFERENCE_PATTERN,
} from '../../../lambdas/definitions/credential-request';
import { newReference } from '../../../lambdas/domain/credential-requests';

const valid = {
  fullName: 'Anna Rossi',
  company: 'Rossi & Figli S.p.A.',
  email: 'anna.rossi@customer.example',
  phone: '+39 02 1234 5678',
  reason: 'I am the new IT contact for our support contract.',
};

describe('the credential request fields', () => {
  it('accept what real people type', () => {
    for (const fields of [
      valid,
      { ...valid, phone: undefined },
      { ...valid, phone: '   ' },
      { ...valid, fullName: "Seán O'Brien-Müller" },
      { ...valid, fullName: '李小龙' },
      { ...valid, fullName: 'José  María   García ' },
      { ...valid, company: '3M' },
      { ...valid, company: 'Yahoo! (Europe)' },
      { ...valid, email: '  Anna.Rossi+Support@Customer.EXAMPLE ' },
      { ...valid, phone: '(02) 1234-5678' },
      { ...valid, reason: 'Line one.\r\nLine two, with "quotes" & ampersands.' },
    ]) {
      expect({ fields, issues: checkCredentialRequest(fields) }).toEqual({ fields, issues: {} });
    }
  });

  it.each([
    ['fullName', '', 'required'],
    ['fullName', 'A', 'too_short'],
    ['fullName', 'x'.repeat(101), 'too_long'],
    ['fullName', 'Anna\r\nBcc: victim@example.com', 'characters'],
    ['fullName', '<script>alert(1)</script>', 'characters'],
    ['fullName', 'Visit https://evil.example', 'characters'],
    ['fullName', '\u202eAnna', 'characters'],
    ['fullName', 'R2D2', 'characters'],
    ['company', ' ', 'required'],
    ['company', '"><img src=x onerror=alert(1)>', 'characters'],
    ['company', 'evil.example/login', 'characters'],
    ['email', '', 'required'],
    ['email', 'anna', 'email_format'],
    ['email', 'anna@localhost', 'email_format'],
    ['email', 'a"b@example.com', 'email_format'],
    ['email', 'x@example.com\r\nBcc: y@example.com', 'email_format'],
    ['email', `${'a'.repeat(250)}@example.com`, 'too_long'],
    ['phone', '12345', 'phone_format'],
    ['phone', 'call me', 'phone_format'],
    ['phone', '+1 234 567 890 123 456 7', 'phone_format'],
    ['reason', 'short', 'too_short'],
    ['reason', 'x'.repeat(501), 'too_long'],
    ['reason', 'Please <b>hurry</b> up with this', 'characters'],
    ['reason', 'A bell \u0007 in the middle of it', 'characters'],
    ['reason', 'Hidden\u200b zero width', 'characters'],
  ])('refuse %s %j: %s', (field, value, issue) => {
    expect(checkCredentialRequest({ ...valid, [field]: value })).toEqual({ [field]: issue });
  });

  it('are stored tidy: spaces collapsed, the email in lower case, no empty phone', () => {
    expect(
      normaliseCredentialRequest({
        fullName: '  José  María ',
        company: 'ACME\u00a0 Ltd ',
        email: ' Jose@ACME.example ',
        phone: ' ',
        reason: 'one  \r\n\r\n\r\n\r\n two ',
      }),
    ).toEqual({ fullName: 'José María', company: 'ACME Ltd', email: 'jose@acme.example', reason: 'one\n\ntwo' });
  });
});

describe('references', () => {
  it('are CR- and two groups of four characters without look-alikes, and differ every time', () => {
    const references = new Set(Array.from({ length: 500 }, newReference));
    expect(references.size).toBe(500);
    for (const reference of references) {
      expect(reference).toMatch(REFERENCE_PATTERN);
      expect(reference.slice(3)).not.toMatch(/[01ILO]/);
    }
  });

  it.each([
    ['CR-7KQ4-M2XP', 'CR-7KQ4-M2XP'],
    ['cr-7kq4-m2xp', 'CR-7KQ4-M2XP'],
    [' CR 7KQ4 M2XP ', 'CR-7KQ4-M2XP'],
    ['CR7KQ4M2XP', 'CR-7KQ4-M2XP'],
    ['7KQ4-M2XP', 'CR-7KQ4-M2XP'],
    ['CRAB-CDEF', 'CR-CRAB-CDEF'],
  ])('%j is read as %s', (input, expected) => {
    expect(normaliseReference(input)).toBe(expected);
  });

  it.each(['', 'CR-', 'CR-7KQ4', 'CR-7KQ4-M2X0', 'CR-7KQ4-M2XP-X', '../etc', 'CR-7KQ4-M2X"'])(
    '%j is not a reference',
    (input) => {
      expect(normaliseReference(input)).toBeUndefined();
    },
  );
});
