import type { AlertMessage } from "./format-message";

/**
 * AWS Chatbot shows only messages it understands; for anything of one's own that is a "custom notification"
 * (AWS Chatbot guide, "Custom notifications": version 1.0, source custom, content with a title and a description).
 * With a Slack channel the function publishes a per-protocol SNS message: this JSON by default (Chatbot's
 * subscription), the plain text for email. Pure.
 */
export function chatbotNotification(message: AlertMessage): string {
  return JSON.stringify({
    version: "1.0",
    source: "custom",
    content: { textType: "client-markdown", title: message.subject, description: "```\n" + message.body + "\n```" },
  });
}

/** The SNS `Message` for `MessageStructure: json`: Chatbot's JSON by default, the text for email subscriptions. */
export function perProtocolMessage(message: AlertMessage): string {
  return JSON.stringify({ default: chatbotNotification(message), email: message.body });
}
