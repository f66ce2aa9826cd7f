// A software WebAuthn authenticator and client for tests without a browser: it answers the options
// JSON the server hands out with the response JSON the browser would post back (ES256, attestation 'none').
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

export interface SoftCredential {
  /** base64url */
  id: string;
  rpId: string;
  /** base64url: the user.id of the registration options, returned as response.userHandle */
  userHandle: string;
  privateKey: KeyObject;
  signCount: number;
}

export interface SoftAuthenticatorOptions {
  /** BE and BS flags, as a synced passkey sets them. Default true. */
  backedUp?: boolean;
  /** UV flag. Default true. */
  userVerified?: boolean;
  /** true (default): the signature counter grows by one per assertion; false: always 0, as synced passkeys do. */
  countSignatures?: boolean;
}

const ES256 = -7;
const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

const sha256 = (data: string | Uint8Array): Buffer => createHash('sha256').update(data).digest();
const b64url = (bytes: Uint8Array): string => isoBase64URL.fromBuffer(new Uint8Array(bytes));
const u32 = (value: number): Buffer => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
};

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  private readonly backedUp: boolean;
  private readonly userVerified: boolean;
  private readonly countSignatures: boolean;

  constructor(options: SoftAuthenticatorOptions = {}) {
    this.backedUp = options.backedUp ?? true;
    this.userVerified = options.userVerified ?? true;
    this.countSignatures = options.countSignatures ?? true;
  }

  /** navigator.credentials.create(): a resident ES256 credential for options.rp.id and options.user.id. */
  async register(options: PublicKeyCredentialCreationOptionsJSON, origin: string): Promise<RegistrationResponseJSON> {
    const rpId = options.rp.id ?? new URL(origin).hostname;
    if (!options.pubKeyCredParams.some((param) => param.alg === ES256)) {
      throw new DOMException(
        'The soft authenticator only makes ES256 (-7) keys and pubKeyCredParams does not offer it: add alg -7.',
        'NotSupportedError',
      );
    }
    const excluded = this.credentials.find(
      (held) => held.rpId === rpId && options.excludeCredentials?.some((listed) => listed.id === held.id),
    );
    if (excluded) {
      throw new DOMException(
        `This authenticator already holds credential ${excluded.id}, which excludeCredentials lists: register with another authenticator.`,
        'InvalidStateError',
      );
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cosePublicKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, ES256],
        [-1, 1], // crv: P-256
        [-2, isoBase64URL.toBuffer(jwk.x ?? '')],
        [-3, isoBase64URL.toBuffer(jwk.y ?? '')],
      ]),
    );
    const rawId = randomBytes(32);
    const credential: SoftCredential = {
      id: b64url(rawId),
      rpId,
      userHandle: options.user.id,
      privateKey,
      signCount: 0,
    };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(rawId.length);
    const authData = Buffer.concat([
      this.authDataHead(rpId, FLAG.AT, credential.signCount),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      rawId,
      cosePublicKey,
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, never>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, never>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    this.credentials.push(credential);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: clientData('webauthn.create', options.challenge, origin),
        attestationObject: b64url(attestationObject),
        authenticatorData: b64url(authData),
        transports: ['internal', 'hybrid'],
        publicKeyAlgorithm: ES256,
        publicKey: b64url(publicKey.export({ format: 'der', type: 'spki' })),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /**
   * navigator.credentials.get(). Without `credentialId`: the first credential held for options.rpId that
   * allowCredentials allows (empty or absent: discoverable, any for the rpId). With `credentialId`: that
   * credential whatever options.rpId says, so a test can sign for a wrong rpId and see the server refuse it.
   */
  async authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    origin: string,
    credentialId?: string,
  ): Promise<AuthenticationResponseJSON> {
    const rpId = options.rpId ?? new URL(origin).hostname;
    const allowed = (held: SoftCredential, list: PublicKeyCredentialDescriptorJSON[] = []) =>
      list.length === 0 || list.some((listed) => listed.id === held.id);
    const credential =
      credentialId === undefined
        ? this.credentials.find((held) => held.rpId === rpId && allowed(held, options.allowCredentials))
        : this.credentials.find((held) => held.id === credentialId);
    if (!credential) {
      throw new DOMException(
        `This authenticator holds no credential ${credentialId ?? `for ${rpId} that allowCredentials allows`}: register one first.`,
        'NotAllowedError',
      );
    }
    if (this.countSignatures) credential.signCount += 1;
    const authData = this.authDataHead(rpId, 0, credential.signCount);
    const clientDataJSON = clientData('webauthn.get', options.challenge, origin);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(isoBase64URL.toBuffer(clientDataJSON))]),
      credential.privateKey,
    );
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** rpIdHash | flags | signCount: the part of authenticatorData both ceremonies share. */
  private authDataHead(rpId: string, extraFlags: number, signCount: number): Buffer {
    let flags = FLAG.UP | extraFlags;
    if (this.userVerified) flags |= FLAG.UV;
    if (this.backedUp) flags |= FLAG.BE | FLAG.BS;
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), u32(signCount)]);
  }
}

function clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): string {
  return isoBase64URL.fromUTF8String(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

/** The same assertion with one bit of the signature's last byte flipped: still DER, no longer valid. */
export function tamperSignature(response: AuthenticationResponseJSON): AuthenticationResponseJSON {
  const signature = Buffer.from(isoBase64URL.toBuffer(response.response.signature));
  signature[signature.length - 1] = (signature.at(-1) ?? 0) ^ 0x01;
  return { ...response, response: { ...response.response, signature: b64url(signature) } };
}
