// The custom domain's alias records (IPv4 and IPv6) pointing at CloudFront, in a Route 53 hosted
// zone named by id and domain: no lookup, so synth stays offline.
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { AaaaRecord, ARecord, HostedZone, type IHostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface DomainRecordsProps {
  readonly domainName: string;
  readonly hostedZoneId: string;
  readonly hostedZoneName: string;
  readonly distribution: IDistribution;
}

export class DomainRecords extends Construct {
  readonly zone: IHostedZone;
  readonly ipv4: ARecord;
  readonly ipv6: AaaaRecord;

  constructor(scope: Construct, id: string, props: DomainRecordsProps) {
    super(scope, id);
    this.zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: props.hostedZoneId,
      zoneName: props.hostedZoneName,
    });
    const target = RecordTarget.fromAlias(new CloudFrontTarget(props.distribution));
    this.ipv4 = new ARecord(this, 'Ipv4', { zone: this.zone, recordName: `${props.domainName}.`, target });
    this.ipv6 = new AaaaRecord(this, 'Ipv6', { zone: this.zone, recordName: `${props.domainName}.`, target });
  }
}
