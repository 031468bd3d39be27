import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { CustomerManagedKey } from "./kms-key";
import { policyDocument } from "./policy-document";

/** Props of AlarmTopic: where the topic lives and who is subscribed. */
export interface AlarmTopicProps {
  /** Topic name; also names the key's alias. */
  readonly topicName: string;
  /** The topic's account: its root administers the key, its alarms may publish. */
  readonly accountId: string;
  /** The topic's Region: only alarms of this Region may publish. */
  readonly region: string;
  /** ARN partition of the Region (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** Email addresses subscribed to the topic (each confirms by the link AWS mails). Default: none. */
  readonly emails?: readonly string[];
}

/**
 * The SNS topic CloudWatch alarms notify, encrypted with its own customer-managed key (rotation on). Not the
 * AWS-managed `alias/aws/sns`: its key policy cannot be changed and does not let CloudWatch use it, so an
 * alarm could never publish to the topic. Only this account's and Region's alarms may publish.
 */
export class AlarmTopic extends Construct {
  /** The customer-managed key encrypting the topic (rotation on, alias `alias/<topicName>`). */
  readonly key: CustomerManagedKey;
  /** The topic; alarms name `topic.arn` in their actions. */
  readonly topic: SnsTopic;
  /** One email subscription per configured address (pending until the address confirms). */
  readonly subscriptions: SnsTopicSubscription[];

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const alarmsOnly = {
      ArnLike: { "aws:SourceArn": `arn:${props.partition}:cloudwatch:${props.region}:${props.accountId}:alarm:*` },
      StringEquals: { "aws:SourceAccount": props.accountId },
    };

    // Administered by the account (CustomerManagedKey), used by CloudWatch for this account's alarms only
    // (confused deputy, BAI122; CloudWatch passes both condition keys to KMS, unlike EventBridge).
    this.key = new CustomerManagedKey(this, "key", {
      alias: props.topicName,
      description: `Encrypts the SNS topic ${props.topicName} (CloudWatch alarm notifications)`,
      partition: props.partition,
      accountId: props.accountId,
      statements: [
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: alarmsOnly,
        },
      ],
    });

    this.topic = new SnsTopic(this, "topic", { name: props.topicName, kmsMasterKeyId: this.key.arn });

    new SnsTopicPolicy(this, "policy", {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: "CloudWatchAlarms",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: this.topic.arn,
          Condition: alarmsOnly,
        },
      ]),
    });

    // Keyed by address, not position: removing one address leaves the others' (confirmed) subscriptions alone.
    this.subscriptions = (props.emails ?? []).map(
      (email) => new SnsTopicSubscription(this, `email-${email}`, { topicArn: this.topic.arn, protocol: "email", endpoint: email }),
    );
  }
}
