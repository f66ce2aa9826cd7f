// SDK clients, one per service per Lambda container (handlers call these at module scope). The
// endpoint, region and retry count come from the SDK's own environment variables
// (AWS_ENDPOINT_URL_<SERVICE>, AWS_REGION, AWS_MAX_ATTEMPTS): in Lambda none of the endpoint ones
// is set; the local runner points them at the emulators. The code path is the same.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// A hung dependency must fail fast enough for the handler to answer "try again" inside API
// Gateway's 30 s limit, retries included.
const requestHandler = { connectionTimeout: 2_000, requestTimeout: 5_000 };

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function cognitoClient(): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ requestHandler });
}

export function sesClient(): SESv2Client {
  return new SESv2Client({ requestHandler });
}

export function sqsClient(): SQSClient {
  return new SQSClient({ requestHandler });
}

export function kmsClient(): KMSClient {
  return new KMSClient({ requestHandler });
}

export function secretsManagerClient(): SecretsManagerClient {
  return new SecretsManagerClient({ requestHandler });
}
