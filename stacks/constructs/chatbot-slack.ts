import { Construct } from "constructs";
import { ChatbotSlackChannelConfiguration } from "@cdktf/provider-aws/lib/chatbot-slack-channel-configuration";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { policyDocument } from "./policy-document";

/** Properties of ChatbotSlackChannel. */
export interface ChatbotSlackChannelProps {
  /** Configuration name (also names the role). */
  readonly name: string;
  /** Slack workspace (team) id, authorised in the AWS Chatbot console beforehand. */
  readonly workspaceId: string;
  /** Slack channel id. */
  readonly channelId: string;
  /** Topics whose messages the channel shows. */
  readonly topicArns: readonly string[];
  /** ARN partition of the stack's Region (for the guardrail policy's ARN). */
  readonly partition: string;
}

/**
 * An AWS Chatbot Slack channel configuration subscribed to the alert topic. Its role has no permissions and the
 * channel's guardrail is ReadOnlyAccess: without one, AWS applies AdministratorAccess to whatever the channel's
 * members run through Chatbot (Chatbot API reference, GuardrailPolicyArns).
 */
export class ChatbotSlackChannel extends Construct {
  /** The role Chatbot assumes (no permissions of its own). */
  readonly role: IamRole;
  /** The Slack channel configuration, subscribed to `topicArns`. */
  readonly configuration: ChatbotSlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: ChatbotSlackChannelProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: `${props.name}-chatbot`,
      description: "AWS Chatbot channel of the backup job alerts (notifications only)",
      assumeRolePolicy: policyDocument([
        { Sid: "ChatbotAssume", Effect: "Allow", Principal: { Service: "chatbot.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]),
    });
    this.configuration = new ChatbotSlackChannelConfiguration(this, "channel", {
      configurationName: props.name,
      iamRoleArn: this.role.arn,
      slackTeamId: props.workspaceId,
      slackChannelId: props.channelId,
      snsTopicArns: [...props.topicArns],
      guardrailPolicyArns: [`arn:${props.partition}:iam::aws:policy/ReadOnlyAccess`],
      loggingLevel: "ERROR",
    });
  }
}
