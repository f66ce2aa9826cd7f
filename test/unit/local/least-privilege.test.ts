// Least privilege both ways, as the integration suite's teardown applies it.
import { leastPrivilegeGaps } from '../../../local/iam/least-privilege';

const granted = new Map([
  ['session-create', new Set(['dynamodb:GetItem', 'cognito-idp:AdminGetUser', 'logs:PutLogEvents'])],
  ['password-reset-confirm', new Set(['cognito-idp:AdminUserGlobalSignOut'])],
]);

describe('least privilege both ways', () => {
  it('holds when every call is granted and every grant is called or excused with a reason', () => {
    const seen = [
      { handler: 'session-create', action: 'dynamodb:GetItem', allowed: true },
      { handler: 'session-create', action: 'cognito-idp:AdminGetUser', allowed: true },
    ];
    expect(leastPrivilegeGaps(granted, seen)).toEqual({ ungranted: [], unused: [] });
  });

  it('names a call without a grant (it was refused) and a grant nobody called', () => {
    const seen = [
      { handler: 'session-create', action: 'dynamodb:GetItem', allowed: true },
      { handler: 'session-create', action: 'cognito-idp:ListUsers', allowed: false },
    ];
    expect(leastPrivilegeGaps(granted, seen)).toEqual({
      ungranted: ['session-create cognito-idp:ListUsers'],
      unused: ['session-create cognito-idp:AdminGetUser'],
    });
  });

  it('does not count a refused call as a use of a grant', () => {
    const seen = [
      { handler: 'session-create', action: 'dynamodb:GetItem', allowed: true },
      { handler: 'session-create', action: 'cognito-idp:AdminGetUser', allowed: false },
    ];
    expect(leastPrivilegeGaps(granted, seen).unused).toEqual(['session-create cognito-idp:AdminGetUser']);
  });
});
