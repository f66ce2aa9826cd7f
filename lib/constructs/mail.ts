// Sending email: the SES identity of the sender, a configuration set, and the templates, created
// from the same files the local runner loads into its SES emulator.
import { CfnOutput } from 'aws-cdk-lib';
import {
  CfnTemplate,
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { EmailTemplateId } from '../../lambdas/definitions/email-templates';
import { type AppConfig, senderDomain } from '../app-config';
import { emailTemplateContents } from '../email-template-files';

export interface MailProps {
  readonly config: Pick<AppConfig, 'senderEmail' | 'senderIdentity' | 'stackName'>;
}

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

    if (config.senderIdentity === 'domain') {
      const identity = new EmailIdentity(this, 'SenderDomain', {
        identity: Identity.domain(domain),
        configurationSet: this.configurationSet,
      });
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
}
