// Sending email: the SES identity of the sender (Easy DKIM, optional custom MAIL FROM), a
// configuration set whose events become CloudWatch metrics, and the templates, created from the same
// files the local runner loads into its SES emulator.
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import {
  CfnTemplate,
  CloudWatchDimensionSource,
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  MailFromBehaviorOnMxFailure,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { EmailTemplateId } from '../../lambdas/definitions/email-templates';
import { type AppConfig, senderDomain } from '../app-config';
import { emailTemplateContents } from '../email-template-files';

export interface MailProps {
  readonly config: Pick<AppConfig, 'senderEmail' | 'senderIdentity' | 'stackName'> &
    Partial<Pick<AppConfig, 'mailFromDomain'>>;
}

/** The SES events published as CloudWatch metrics (namespace AWS/SES), by their metric names. */
export const SES_EVENTS = {
  Send: EmailSendingEvent.SEND,
  Delivery: EmailSendingEvent.DELIVERY,
  Bounce: EmailSendingEvent.BOUNCE,
  Complaint: EmailSendingEvent.COMPLAINT,
  Reject: EmailSendingEvent.REJECT,
  RenderingFailure: EmailSendingEvent.RENDERING_FAILURE,
  DeliveryDelay: EmailSendingEvent.DELIVERY_DELAY,
} as const;
export type SesEventMetric = keyof typeof SES_EVENTS;

/** SES tags every message with its configuration set; the metrics are split by that tag. */
export const SES_METRIC_DIMENSION = 'ses:configuration-set';

export class Mail extends Construct {
  readonly senderEmail: string;
  readonly templatePrefix: string;
  readonly configurationSet: ConfigurationSet;
  /** Identities SES may authorise the sender address through: the address itself and its domain. */
  readonly identityNames: readonly string[];
  /** The SES template names of each email. */
  readonly templateNames: Readonly<Record<EmailTemplateId, readonly string[]>>;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    const { config } = props;
    this.senderEmail = config.senderEmail;
    this.templatePrefix = config.stackName;
    const domain = senderDomain(config);
    this.identityNames = [config.senderEmail, domain];

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      // Per-set bounce and complaint rates in the SES console, next to the account-wide alarms.
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // One of these emails carries a temporary password: never over a plain-text SMTP hop.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });

    // Every email event of this set as a CloudWatch metric: the alarms and the dashboard read them.
    this.configurationSet.addEventDestination('CloudWatch', {
      destination: EventDestination.cloudWatchDimensions([
        { name: SES_METRIC_DIMENSION, source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'none' },
      ]),
      events: Object.values(SES_EVENTS),
    });

    if (config.senderIdentity === 'domain') {
      const identity = new EmailIdentity(this, 'SenderDomain', {
        identity: Identity.domain(domain),
        configurationSet: this.configurationSet,
        // A MAIL FROM under the sender's domain makes SPF align for DMARC; without its MX record
        // SES falls back to amazonses.com rather than refusing to send.
        ...(config.mailFromDomain
          ? {
              mailFromDomain: config.mailFromDomain,
              mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
            }
          : {}),
      });
      if (config.mailFromDomain) {
        const region = Stack.of(this).region;
        new CfnOutput(scope, 'MailFromMxRecord', {
          description: `DNS MX for the MAIL FROM domain ${config.mailFromDomain}`,
          value: `${config.mailFromDomain} MX 10 feedback-smtp.${region}.amazonses.com`,
        });
        new CfnOutput(scope, 'MailFromSpfRecord', {
          description: `DNS TXT (SPF) for the MAIL FROM domain ${config.mailFromDomain}`,
          value: `${config.mailFromDomain} TXT "v=spf1 include:amazonses.com ~all"`,
        });
      }
      identity.dkimRecords.forEach((record, index) => {
        new CfnOutput(scope, `DkimRecord${index + 1}`, {
          description: `DNS CNAME for Easy DKIM on ${domain}: add it so SES verifies the domain and signs the emails`,
          value: `${record.name} CNAME ${record.value}`,
        });
      });
    } else if (config.senderIdentity === 'email') {
      new EmailIdentity(this, 'SenderAddress', {
        identity: Identity.email(config.senderEmail),
        configurationSet: this.configurationSet,
      });
    }

    const names: Record<string, string[]> = {};
    for (const template of emailTemplateContents(this.templatePrefix)) {
      names[template.id] = [...(names[template.id] ?? []), template.name];
      new CfnTemplate(this, `Template${template.name.slice(this.templatePrefix.length)}`, {
        template: {
          templateName: template.name,
          subjectPart: template.subject,
          htmlPart: template.html,
          textPart: template.text,
        },
      });
    }
    this.templateNames = names as Record<EmailTemplateId, string[]>;
  }

  /** An SES event of this configuration set as a CloudWatch metric (sum per period). */
  metric(event: SesEventMetric, options: MetricOptions = {}): Metric {
    return new Metric({
      namespace: 'AWS/SES',
      metricName: event,
      dimensionsMap: { [SES_METRIC_DIMENSION]: this.configurationSet.configurationSetName },
      statistic: 'Sum',
      period: Duration.hours(1),
      ...options,
    });
  }
}
