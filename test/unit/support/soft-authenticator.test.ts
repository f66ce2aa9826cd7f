// The soft authenticator against SimpleWebAuthn's own verification: what it makes passes, and each
// thing an attacker could change (signature, origin, rpId, challenge) is refused.
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { SoftAuthenticator, tamperSignature } from '../../support/soft-authenticator';

const rpID = 'localhost';
const origin = 'http://localhost:3000';

async function registered(authenticator: SoftAuthenticator, userName = 'ada@example.com') {
  const options = await generateRegistrationOptions({
    rpName: 'Support Access',
    rpID,
    userName,
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  const response = await authenticator.register(options, origin);
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: true,
  });
  if (!verification.verified) throw new Error('registration was not verified');
  return { options, response, info: verification.registrationInfo };
}

function verify(
  response: AuthenticationResponseJSON,
  options: PublicKeyCredentialRequestOptionsJSON,
  credential: WebAuthnCredential,
) {
  return verifyAuthenticationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    credential,
    requireUserVerification: true,
  });
}

describe('SoftAuthenticator', () => {
  it('registers a synced passkey that the server verifies, bound to the user id', async () => {
    const authenticator = new SoftAuthenticator();
    const { options, response, info } = await registered(authenticator);
    expect(info.credential.id).toBe(response.id);
    expect(info.credential.counter).toBe(0);
    expect(info.fmt).toBe('none');
    expect(info.userVerified).toBe(true);
    expect(info.credentialBackedUp).toBe(true);
    expect(info.credentialDeviceType).toBe('multiDevice');
    expect(authenticator.credentials).toEqual([
      expect.objectContaining({ id: response.id, rpId: rpID, userHandle: options.user.id }),
    ]);
  });

  it('signs assertions the server verifies, the counter growing by one each time', async () => {
    const authenticator = new SoftAuthenticator();
    const { info } = await registered(authenticator);
    let credential = info.credential;
    for (const expected of [1, 2]) {
      const options = await generateAuthenticationOptions({
        rpID,
        allowCredentials: [{ id: credential.id }],
        userVerification: 'required',
      });
      const response = await authenticator.authenticate(options, origin);
      const { verified, authenticationInfo } = await verify(response, options, credential);
      expect(verified).toBe(true);
      expect(authenticationInfo.newCounter).toBe(expected);
      expect(authenticationInfo.credentialBackedUp).toBe(true);
      credential = { ...credential, counter: authenticationInfo.newCounter };
    }
  });

  it('answers a discoverable request (no allowCredentials) with a held credential and its user', async () => {
    const authenticator = new SoftAuthenticator();
    const first = await registered(authenticator, 'someone-else@example.com');
    const second = await registered(authenticator);
    for (const allowCredentials of [undefined, []]) {
      const options = await generateAuthenticationOptions({ rpID, allowCredentials, userVerification: 'required' });
      expect(options.allowCredentials ?? []).toEqual([]);
      // Left to choose, the authenticator answers with the first credential it holds for the rpId.
      const chosen = await authenticator.authenticate(options, origin);
      expect([chosen.id, chosen.response.userHandle]).toEqual([first.info.credential.id, first.options.user.id]);
      // Named (the person picked another passkey in the browser's list), that one answers.
      const picked = await authenticator.authenticate(options, origin, second.info.credential.id);
      expect(picked.response.userHandle).toBe(second.options.user.id);
      const verification = await verify(picked, options, { ...second.info.credential, counter: 0 });
      expect(verification.verified).toBe(true);
    }
  });

  it('can act as a single-device key without counter or user verification', async () => {
    const authenticator = new SoftAuthenticator({ backedUp: false, countSignatures: false, userVerified: false });
    const options = await generateRegistrationOptions({ rpName: 'Support Access', rpID, userName: 'ada' });
    const response = await authenticator.register(options, origin);
    const check = { response, expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpID };
    await expect(verifyRegistrationResponse({ ...check, requireUserVerification: true })).rejects.toThrow(
      /user could not be verified/i,
    );
    const verification = await verifyRegistrationResponse({ ...check, requireUserVerification: false });
    if (!verification.verified) throw new Error('registration was not verified');
    const { credential, credentialBackedUp, credentialDeviceType } = verification.registrationInfo;
    expect([credentialBackedUp, credentialDeviceType]).toEqual([false, 'singleDevice']);
    const request = await generateAuthenticationOptions({ rpID });
    const assertion = await authenticator.authenticate(request, origin);
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: request.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential,
      requireUserVerification: false,
    });
    expect([verified, authenticationInfo.newCounter, authenticationInfo.userVerified]).toEqual([true, 0, false]);
  });

  describe('what the server must refuse', () => {
    let authenticator: SoftAuthenticator;
    let credential: WebAuthnCredential;
    let options: PublicKeyCredentialRequestOptionsJSON;
    beforeEach(async () => {
      authenticator = new SoftAuthenticator();
      credential = (await registered(authenticator)).info.credential;
      options = await generateAuthenticationOptions({ rpID, allowCredentials: [{ id: credential.id }] });
    });

    it('the untouched assertion passes (so each refusal below is the change alone)', async () => {
      const response = await authenticator.authenticate(options, origin);
      expect((await verify(response, options, credential)).verified).toBe(true);
    });

    it('a tampered signature', async () => {
      const response = tamperSignature(await authenticator.authenticate(options, origin));
      expect((await verify(response, options, credential)).verified).toBe(false);
    });

    it('a wrong origin', async () => {
      const response = await authenticator.authenticate(options, 'https://evil.example');
      await expect(verify(response, options, credential)).rejects.toThrow(/unexpected authentication response origin/i);
    });

    it('a wrong rpId', async () => {
      const response = await authenticator.authenticate({ ...options, rpId: 'evil.example' }, origin, credential.id);
      await expect(verify(response, options, credential)).rejects.toThrow(/unexpected RP ID hash/i);
    });

    it('a wrong challenge', async () => {
      const other = isoBase64URL.fromUTF8String('another challenge');
      const response = await authenticator.authenticate({ ...options, challenge: other }, origin);
      await expect(verify(response, options, credential)).rejects.toThrow(
        /unexpected authentication response challenge/i,
      );
    });
  });

  it('refuses to register again where excludeCredentials lists a held credential, and adds nothing', async () => {
    const authenticator = new SoftAuthenticator();
    const { info } = await registered(authenticator);
    const options = await generateRegistrationOptions({
      rpName: 'Support Access',
      rpID,
      userName: 'ada@example.com',
      excludeCredentials: [{ id: info.credential.id }],
    });
    await expect(authenticator.register(options, origin)).rejects.toMatchObject({ name: 'InvalidStateError' });
    expect(authenticator.credentials).toHaveLength(1);
    // Another authenticator (another device) may register.
    await expect(new SoftAuthenticator().register(options, origin)).resolves.toMatchObject({ type: 'public-key' });
  });

  it('refuses to sign when it holds no credential the options allow', async () => {
    const authenticator = new SoftAuthenticator();
    await registered(authenticator);
    const options = await generateAuthenticationOptions({ rpID, allowCredentials: [{ id: 'bm90LWhlbGQ' }] });
    await expect(authenticator.authenticate(options, origin)).rejects.toMatchObject({ name: 'NotAllowedError' });
    const elsewhere = await generateAuthenticationOptions({ rpID: 'other.example' });
    await expect(authenticator.authenticate(elsewhere, origin)).rejects.toMatchObject({ name: 'NotAllowedError' });
  });
});
