# Shared helpers of the landing-zone config gate. Every rule file in this package adds to `violations`; the
# objects it adds are built here so that the shape (id, landingZone, file, path, message, fix) lives in one place.
package backup_audit.config

import rego.v1

violation(lz, id, path, message, fix) := {
	"id": id,
	"landingZone": lz.name,
	"file": lz.sourceFile,
	"path": path,
	"message": message,
	"fix": fix,
}

# Renders a list of strings the way YAML users write it, e.g. [CSV, JSON].
yaml_list(xs) := concat("", ["[", concat(", ", xs), "]"])

# Names listed in messages: sorted so that messages are stable between runs.
name_list(xs) := concat(", ", sort(xs))

# Config path of a scope attribute of a plan (shared `reports.scope` or the template's override).
scope_path(plan, attr) := concat(".", [plan.fieldPaths.scope, attr])
