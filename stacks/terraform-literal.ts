/**
 * Terraform reads every string of the JSON configuration as a template: `${` starts an expression and `%{` a
 * directive. A value meant literally for another system (Glue partition projection's `${account}`, an IAM policy
 * variable) must be written `$${` / `%%{`, or `terraform validate` fails with "Invalid reference". cdktf's own
 * unresolved tokens (`${TfToken[...]}`) are left alone: synth turns them into real expressions.
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{(?!TfToken\[)/g, "$$${").replace(/%\{/g, "%%{");
}
