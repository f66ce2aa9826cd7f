// What wakes the ops team: alarms on the API, every function, the reset queue and SES reputation,
// all sent to one encrypted SNS topic that emails the ops address.
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface AlarmsProps {
  readonly prefix: string;
  readonly opsEmail: string;
  readonly httpApi: HttpApi;
  /** Functions by a short name used in alarm names. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly resetQueue: IQueue;
  readonly deadLetterQueue: IQueue;
}

/** SES reviews an account at a 5% bounce or 0.1% complaint rate; these alarm at half of that. */
export const SES_BOUNCE_RATE_ALARM = 0.025;
export const SES_COMPLAINT_RATE_ALARM = 0.0005;

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.prefix = props.prefix;
    const stack = Stack.of(this);

    // CloudWatch cannot publish to a topic under the AWS managed SNS key, so the topic gets its own.
    const key = new Key(this, 'TopicKey', {
      description: `${props.prefix}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: `${props.prefix} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${props.prefix}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    this.topic.addSubscription(new EmailSubscription(props.opsEmail));
    this.action = new SnsAction(this.topic);

    const fiveMinutes = Duration.minutes(5);
    this.add('Api5xx', {
      metric: props.httpApi.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 5,
      description: 'The API answered 5 or more requests with a 5xx in 5 minutes. Check the function logs.',
    });
    for (const [name, fn] of props.functions) {
      this.add(`${name}-errors`, {
        metric: fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        description: `${name} failed (crash, timeout or bad configuration). Its log group says why.`,
      });
      this.add(`${name}-throttles`, {
        metric: fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        description: `${name} was throttled: the account's Lambda concurrency is exhausted.`,
      });
    }
    this.add('ResetDlqNotEmpty', {
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 1,
      description:
        'A reset request failed every delivery and is in the dead-letter queue. See the worker logs, then redrive or delete it.',
    });
    this.add('ResetQueueDelayed', {
      metric: props.resetQueue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: 'Maximum' }),
      threshold: 600,
      description: 'Reset emails are more than 10 minutes late: the worker is failing or throttled.',
    });
    this.add('SesBounceRate', {
      metric: sesReputation('Reputation.BounceRate'),
      threshold: SES_BOUNCE_RATE_ALARM,
      description: `The account's SES bounce rate reached ${SES_BOUNCE_RATE_ALARM * 100}% (AWS reviews sending at 5%).`,
    });
    this.add('SesComplaintRate', {
      metric: sesReputation('Reputation.ComplaintRate'),
      threshold: SES_COMPLAINT_RATE_ALARM,
      description: `The account's SES complaint rate reached ${SES_COMPLAINT_RATE_ALARM * 100}% (AWS reviews sending at 0.1%).`,
    });
  }

  private add(name: string, options: { metric: IMetric; threshold: number; description: string }): void {
    const alarm = new Alarm(this, name, {
      alarmName: `${this.prefix}-${name}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }
}

/** Account-wide SES reputation: SES publishes these only for the account, not per configuration set. */
function sesReputation(metricName: string): Metric {
  return new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
}
