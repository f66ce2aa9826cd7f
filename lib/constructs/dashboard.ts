// One CloudWatch dashboard for the whole deployment: traffic at the edge (CloudFront and WAF, read
// from us-east-1), the API, each route's latency, the functions, the reset queue and the emails.
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { cloudFrontMetric } from '../edge-alarms-stack';
import { EDGE_REGION } from '../edge-stack';
import { api403Metric } from './alarms';
import { type Mail, SES_EVENTS, type SesEventMetric } from './mail';

export interface OperationsDashboardProps {
  readonly name: string;
  readonly stackName: string;
  readonly distributionId: string;
  /** The web ACL's name, when the stack has its own (its metrics are in us-east-1). */
  readonly webAclName: string | undefined;
  readonly httpApi: HttpApi;
  readonly routeFunctions: ReadonlyMap<string, IFunction>;
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly resetQueue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly mail: Mail;
  readonly alarms: readonly Alarm[];
}

export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 12, height: 6 });

    const edge = [
      graph(
        'CloudFront: requests and error rates (%)',
        [cloudFrontMetric(props.distributionId, 'Requests', 'Sum')],
        [
          cloudFrontMetric(props.distributionId, '4xxErrorRate'),
          cloudFrontMetric(props.distributionId, '5xxErrorRate'),
        ],
      ),
      ...(props.webAclName
        ? [
            graph(
              'WAF: allowed and blocked requests',
              ['AllowedRequests', 'BlockedRequests'].map(
                (metricName) =>
                  new Metric({
                    namespace: 'AWS/WAFV2',
                    metricName,
                    dimensionsMap: { WebACL: props.webAclName as string, Rule: 'ALL' },
                    statistic: 'Sum',
                    period: fiveMinutes,
                    region: EDGE_REGION,
                  }),
              ),
            ),
          ]
        : []),
    ];

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.name,
      defaultInterval: Duration.hours(24),
      widgets: [
        [new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 })],
        edge,
        [
          graph(
            'API: requests, 4xx, 5xx, 403',
            [props.httpApi.metricCount({ period: fiveMinutes, statistic: 'Sum' })],
            [
              props.httpApi.metricClientError({ period: fiveMinutes, statistic: 'Sum' }),
              props.httpApi.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
              api403Metric(props.stackName, { period: fiveMinutes }),
            ],
          ),
          graph(
            'p99 latency per route (ms, handler duration)',
            [...props.routeFunctions].map(([route, fn]) =>
              fn.metricDuration({ period: fiveMinutes, statistic: 'p99', label: route }),
            ),
          ),
        ],
        [
          graph(
            'Function errors',
            [...props.functions].map(([name, fn]) =>
              fn.metricErrors({ period: fiveMinutes, statistic: 'Sum', label: name }),
            ),
          ),
          graph(
            'Reset queue: oldest message (s), dead letters',
            [props.resetQueue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes })],
            [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes })],
          ),
        ],
        [
          graph(
            'Emails: sent, delivered',
            (['Send', 'Delivery'] as SesEventMetric[]).map((event) =>
              props.mail.metric(event, { period: fiveMinutes }),
            ),
          ),
          graph(
            'Emails: problems',
            (Object.keys(SES_EVENTS) as SesEventMetric[])
              .filter((event) => event !== 'Send' && event !== 'Delivery')
              .map((event) => props.mail.metric(event, { period: fiveMinutes })),
          ),
        ],
      ],
    });
  }
}
