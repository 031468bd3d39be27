/** Properties of the member accounts' CloudFormation template. */
export interface MemberAlertTemplateProps {
  /** ARN of the central event bus (reports account, its Region). */
  readonly centralBusArn: string;
  /** The job event pattern (jobEventPattern). */
  readonly eventPattern: Record<string, unknown>;
  /** Name of the forwarding rule on each member account's default bus (also prefixes nothing else). */
  readonly ruleName: string;
}

/**
 * The template the job-alerts StackSet deploys into every member account and Region: an EventBridge rule on the
 * default bus (where AWS Backup sends its events) whose target is the central bus, and the role EventBridge uses
 * for it. AWS documents that a rule whose target is an event bus in another account or Region needs an execution
 * role in the rule's account that `events.amazonaws.com` may assume and that allows `events:PutEvents` on the
 * target bus (EventBridge guide, "Sending and receiving events between AWS accounts"; "Permissions for event
 * buses"); the receiving bus's resource policy admits the organization. The role has no fixed name: one stack per
 * Region would clash on a global IAM name. Pure; exported for tests, cfn-lint and the emulator test.
 */
export function memberAlertTemplate(props: MemberAlertTemplateProps): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "Forwards AWS Backup job state changes to the organization's central alert bus (backup-audit-insights)",
    Resources: {
      ForwardRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          Description: "EventBridge: forward AWS Backup job state changes to the central alert bus",
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
          },
          Policies: [
            {
              PolicyName: "PutEventsOnCentralBus",
              PolicyDocument: {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: props.centralBusArn }],
              },
            },
          ],
        },
      },
      ForwardRule: {
        Type: "AWS::Events::Rule",
        Properties: {
          Name: props.ruleName,
          Description: "AWS Backup job state changes worth an alert, to the central alert bus",
          EventBusName: "default",
          EventPattern: props.eventPattern,
          State: "ENABLED",
          Targets: [
            {
              Id: "central-alert-bus",
              Arn: props.centralBusArn,
              RoleArn: { "Fn::GetAtt": ["ForwardRole", "Arn"] },
            },
          ],
        },
      },
    },
  };
}
