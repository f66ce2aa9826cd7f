// A minimal KMS for the local stack: one symmetric key in memory answering Encrypt, Decrypt and
// GenerateDataKey in KMS's JSON protocol (X-Amz-Target: TrentService.<Operation>), so the same
// adapter code (@aws-sdk/client-kms) runs here and in Lambda. AES-256-GCM with the encryption
// context as additional data, as KMS binds it: a ciphertext opened with another context fails.
// There is no KMS emulator on npm; nothing here is for anything but local use.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './iam/template-policies';

export interface LocalKms {
  readonly endpoint: string;
  /** The key's ARN, what FACTOR_KEY_ID holds. */
  readonly keyArn: string;
  stop(): Promise<void>;
}

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const VERSION = 1;

function context(value: unknown): Buffer {
  const entries = Object.entries((value ?? {}) as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
  return Buffer.from(JSON.stringify(entries));
}

export async function startKms(): Promise<LocalKms> {
  const keyId = randomUUID();
  const keyArn = `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:key/${keyId}`;
  const key = randomBytes(32);

  const checkKey = (requested: unknown) => {
    if (requested === undefined) return;
    const id = String(requested);
    if (id !== keyArn && id !== keyId) throw new KmsError('NotFoundException', `Key '${id}' does not exist`);
  };
  const encrypt = (plaintext: Buffer, encryptionContext: unknown): Buffer => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(context(encryptionContext));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  };
  const decrypt = (blob: Buffer, encryptionContext: unknown): Buffer => {
    try {
      if (blob[0] !== VERSION) throw new Error('version');
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13)).setAAD(context(encryptionContext));
      decipher.setAuthTag(blob.subarray(13, 29));
      return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]);
    } catch {
      throw new KmsError('InvalidCiphertextException', 'The ciphertext or its encryption context is not valid');
    }
  };

  const operations: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    Encrypt: (body) => {
      checkKey(body.KeyId);
      const plaintext = Buffer.from(String(body.Plaintext ?? ''), 'base64');
      if (plaintext.length === 0 || plaintext.length > 4096) {
        throw new KmsError('ValidationException', 'Plaintext must be 1 to 4096 bytes');
      }
      return {
        CiphertextBlob: encrypt(plaintext, body.EncryptionContext).toString('base64'),
        KeyId: keyArn,
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
    Decrypt: (body) => {
      checkKey(body.KeyId);
      const plaintext = decrypt(Buffer.from(String(body.CiphertextBlob ?? ''), 'base64'), body.EncryptionContext);
      return { Plaintext: plaintext.toString('base64'), KeyId: keyArn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
    GenerateDataKey: (body) => {
      checkKey(body.KeyId);
      const bytes = body.KeySpec === 'AES_128' ? 16 : body.KeySpec === 'AES_256' ? 32 : Number(body.NumberOfBytes);
      if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
        throw new KmsError('ValidationException', 'Give KeySpec (AES_128 or AES_256) or NumberOfBytes (1-1024)');
      }
      const plaintext = randomBytes(bytes);
      return {
        CiphertextBlob: encrypt(plaintext, body.EncryptionContext).toString('base64'),
        Plaintext: plaintext.toString('base64'),
        KeyId: keyArn,
      };
    },
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = operations[target.replace(/^TrentService\./, '')];
      if (!target.startsWith('TrentService.') || !operation) {
        reply(400, { __type: 'UnsupportedOperationException', message: `${target} is not supported by the local KMS` });
        return;
      }
      try {
        reply(200, operation(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>));
      } catch (error) {
        if (error instanceof KmsError) reply(400, { __type: error.type, message: error.message });
        else reply(400, { __type: 'SerializationException', message: 'The request body is not valid JSON' });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keyArn,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
