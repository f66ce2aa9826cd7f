// The OpenID Provider's key set in Secrets Manager: one JSON secret, read by the provider
// function, written only by the ops key commands (lambdas/oidc/keys.ts has its shape and rotation).
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { type KeySet, parseKeySet } from '../oidc/keys';

export class KeySetMissing extends Error {
  override readonly name = 'KeySetMissing';
}

export class SecretsManagerKeyStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async read(): Promise<KeySet> {
    try {
      const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
      if (!SecretString) {
        throw new KeySetMissing(
          `The secret ${this.secretId} holds no keys yet: run \`npm run ops -- keys init\` to create them.`,
        );
      }
      return parseKeySet(SecretString);
    } catch (error) {
      if (
        error instanceof ResourceNotFoundException ||
        (error instanceof Error && error.name === 'ResourceNotFoundException')
      ) {
        throw new KeySetMissing(
          `The secret ${this.secretId} does not exist or holds no value: run \`npm run ops -- keys init\` to create the keys.`,
        );
      }
      throw error;
    }
  }

  async write(set: KeySet): Promise<void> {
    await this.client.send(new PutSecretValueCommand({ SecretId: this.secretId, SecretString: JSON.stringify(set) }));
  }
}
