import { writeFileSync } from "node:fs";
import path from "node:path";
import { landingZoneJsonSchema } from "../config/json-schema";
import { PROJECT_ROOT } from "../app/project-root";

// Regenerates config/landing-zone.schema.json (run by `npm run build`; a test checks it is current).
const target = path.join(PROJECT_ROOT, "config", "landing-zone.schema.json");
writeFileSync(target, JSON.stringify(landingZoneJsonSchema(), null, 2) + "\n");
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
