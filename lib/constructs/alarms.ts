// What wakes the ops team: alarms on the API (errors, 4xx and 403 rates, p99 latency per route),
// every function, the reset queue, SES events and reputation, all sent to one encrypted SNS topic
// that emails the ops address. CloudFront's own alarm lives in us-east-1 (lib/edge-alarms-stack.ts).
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Mail, SesEventMetric } from './mail';

export interface AlarmsProps {
  readonly prefix: string;
  readonly opsEmail: string;
  readonly httpApi: HttpApi;
  /** Functions by a short name used in alarm names. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly resetQueue: IQueue;
  readonly deadLetterQueue: IQueue;
  /** The API's JSON access logs: 403 answers are counted from them. */
  readonly accessLogs: ILogGroup;
  /** Route handlers by route key ("POST /api/password-reset"): their p99 duration is the route's latency. */
  readonly routeFunctions: ReadonlyMap<string, IFunction>;
  readonly mail: Mail;
}

/** Share of API answers that are 4xx (over 5 minutes, with 20 requests at least) that alarms. */
export const API_4XX_RATE_ALARM = 50;
/** Share of 403 answers that alarms: a wrong origin secret makes every call a 403. */
export const API_403_RATE_ALARM = 25;
/** p99 milliseconds of a route's handler, three 5-minute periods in a row. */
export const ROUTE_P99_ALARM_MS = 3000;
/** Bounces of this configuration set per sent email, over an hour with 20 emails at least. */
export const SES_SET_BOUNCE_RATE_ALARM = 0.05;

/** The single-event SES alarms: any of these in an hour means users are not getting their emails. */
const SES_EVENT_ALARMS: readonly { event: SesEventMetric; threshold: number; description: string }[] = [
  {
    event: 'RenderingFailure',
    threshold: 1,
    description: 'SES could not render an email template (a missing variable?): that user got no email.',
  },
  { event: 'Reject', threshold: 1, description: 'SES rejected an email (virus scan). Check what was sent.' },
  {
    event: 'Complaint',
    threshold: 1,
    description:
      'A recipient marked a Support Access email as spam. Check who asked for it (abuse of the reset form?).',
  },
  {
    event: 'DeliveryDelay',
    threshold: 5,
    description: 'Emails are being delayed by the receiving servers (5 or more in an hour): resets arrive late.',
  },
];

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

    this.topic = alarmTopic(this, props.prefix, props.opsEmail);
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
    this.addApiAlarms(props);
    this.addSesAlarms(props.mail);
  }

  /** The API's answers, 4xx and 403 rates and every route's p99; separate so the names read in one place. */
  private addApiAlarms(props: AlarmsProps): void {
    const fiveMinutes = Duration.minutes(5);
    const stack = Stack.of(this);
    // The access log's status is a JSON string ("403").
    new MetricFilter(this, 'Api403Filter', {
      logGroup: props.accessLogs,
      filterPattern: FilterPattern.stringValue('$.status', '=', '403'),
      metricNamespace: apiMetricNamespace(stack.stackName),
      metricName: 'Api403',
      metricValue: '1',
      defaultValue: 0,
    });
    const count = props.httpApi.metricCount({ period: fiveMinutes, statistic: 'Sum' });
    this.add('Api4xxRate', {
      metric: new MathExpression({
        label: '4xx answers (%)',
        expression: 'IF(requests >= 20, 100 * clientErrors / requests, 0)',
        usingMetrics: {
          requests: count,
          clientErrors: props.httpApi.metricClientError({ period: fiveMinutes, statistic: 'Sum' }),
        },
        period: fiveMinutes,
      }),
      threshold: API_4XX_RATE_ALARM,
      description: `More than ${API_4XX_RATE_ALARM}% of API answers were 4xx in 5 minutes: a broken page, an attack, or limits set too low. See the API access logs.`,
    });
    this.add('Api403Rate', {
      metric: new MathExpression({
        label: '403 answers (%)',
        expression: 'IF(requests >= 5, 100 * forbidden / requests, 0)',
        usingMetrics: { requests: count, forbidden: api403Metric(stack.stackName, { period: fiveMinutes }) },
        period: fiveMinutes,
      }),
      threshold: API_403_RATE_ALARM,
      description: `More than ${API_403_RATE_ALARM}% of API answers were 403 in 5 minutes. If nearly all: CloudFront and the authorizer disagree on the origin secret (README: rotating the origin secret).`,
    });
    for (const [route, fn] of props.routeFunctions) {
      this.add(`p99-${route.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}`, {
        metric: fn.metricDuration({ period: fiveMinutes, statistic: 'p99' }),
        threshold: ROUTE_P99_ALARM_MS,
        evaluationPeriods: 3,
        description: `${route}: the slowest 1% took ${ROUTE_P99_ALARM_MS} ms or more for 15 minutes. Check Cognito, DynamoDB and SES latency in the function's logs.`,
      });
    }
  }

  private addSesAlarms(mail: Mail): void {
    for (const { event, threshold, description } of SES_EVENT_ALARMS) {
      this.add(`Ses${event}`, { metric: mail.metric(event), threshold, description });
    }
    this.add('SesBounceRateOfSet', {
      metric: new MathExpression({
        label: 'bounces per email sent',
        expression: 'IF(sent >= 20, bounces / sent, 0)',
        usingMetrics: { sent: mail.metric('Send'), bounces: mail.metric('Bounce') },
        period: Duration.hours(1),
      }),
      threshold: SES_SET_BOUNCE_RATE_ALARM,
      description: `More than ${SES_SET_BOUNCE_RATE_ALARM * 100}% of this deployment's emails bounced in an hour: addresses in the user pool are wrong, or someone feeds the forms invented addresses.`,
    });
  }

  private add(
    name: string,
    options: { metric: IMetric; threshold: number; description: string; evaluationPeriods?: number },
  ): void {
    const alarm = new Alarm(this, name, {
      alarmName: `${this.prefix}-${name}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }
}

/** Where the metrics this stack derives from its logs go (one namespace per stack and region). */
export function apiMetricNamespace(stackName: string): string {
  return `SupportAccess/${stackName}`;
}

export function api403Metric(stackName: string, options: { period?: Duration } = {}): Metric {
  return new Metric({
    namespace: apiMetricNamespace(stackName),
    metricName: 'Api403',
    statistic: 'Sum',
    period: options.period ?? Duration.minutes(5),
  });
}

/** Account-wide SES reputation: SES publishes these only for the account, not per configuration set. */
function sesReputation(metricName: string): Metric {
  return new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
}

/**
 * The encrypted SNS topic alarms publish to, emailing the ops address; only this deployment's
 * alarms (named <prefix>-...) in this account may publish. Its parts are created in `scope`.
 */
export function alarmTopic(scope: Construct, prefix: string, opsEmail: string): Topic {
  const stack = Stack.of(scope);
  // CloudWatch cannot publish to a topic under the AWS managed SNS key, so the topic gets its own.
  const key = new Key(scope, 'TopicKey', {
    description: `${prefix}: encrypts the alarm topic`,
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
  const topic = new Topic(scope, 'Topic', {
    displayName: `${prefix} alarms`,
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: `${prefix}-*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }),
  );
  topic.addSubscription(new EmailSubscription(opsEmail));
  return topic;
}
