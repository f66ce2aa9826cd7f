// CloudFront publishes its metrics in us-east-1 only, and an alarm must live where its metric is:
// this small stack, deployed after the main one (it needs the distribution's id), alarms there.
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import type { AppConfig } from './app-config';
import { alarmTopic } from './constructs/alarms';
import { EDGE_REGION } from './edge-stack';

/** Percent of CloudFront answers that are 5xx, two 5-minute periods in a row. */
export const CLOUDFRONT_5XX_RATE_ALARM = 5;

export function cloudFrontMetric(distributionId: string, metricName: string, statistic = 'Average'): Metric {
  return new Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
    statistic,
    period: Duration.minutes(5),
    region: EDGE_REGION,
  });
}

export interface EdgeAlarmsStackProps extends StackProps {
  readonly config: Pick<AppConfig, 'stackName' | 'region' | 'opsEmail'>;
  readonly distributionId: string;
}

export class EdgeAlarmsStack extends Stack {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: EdgeAlarmsStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const { config } = props;
    // Alarm names are per region; the home region keeps two deployments with one stack name apart.
    const prefix = `${config.stackName}-${config.region}`;
    const topic = alarmTopic(this, prefix, config.opsEmail);
    this.alarm = new Alarm(this, 'CloudFront5xxRate', {
      alarmName: `${prefix}-CloudFront5xxRate`,
      alarmDescription: `More than ${CLOUDFRONT_5XX_RATE_ALARM}% of CloudFront's answers were 5xx for 10 minutes: the site bucket, the API or CloudFront itself is failing. See the CloudFront and API logs.`,
      metric: cloudFrontMetric(props.distributionId, '5xxErrorRate'),
      threshold: CLOUDFRONT_5XX_RATE_ALARM,
      evaluationPeriods: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(topic);
    this.alarm.addAlarmAction(action);
    this.alarm.addOkAction(action);
  }
}
