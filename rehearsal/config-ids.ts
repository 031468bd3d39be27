/**
 * The emulator makes its own organization, OU and member-account ids (CreateOrganization, CreateAccount), so a
 * landing-zone config is rehearsed with those ids in place of its own. Pure text functions: the ids are found
 * and replaced as whole tokens, wherever the config uses them (fields, bucket names, queries' account lists),
 * so the rehearsed config differs from the shipped one in its ids only.
 */

/** The ids a config names: 12-digit accounts, `ou-…` organizational units, the `o-…` organization. */
export interface ConfigIds {
  readonly accounts: string[];
  readonly organizationalUnits: string[];
  readonly organizations: string[];
}

const ACCOUNT = /(?<![0-9])[0-9]{12}(?![0-9])/g;
const OU = /\bou-[0-9a-z]{4,32}-[0-9a-z]{8,32}\b/g;
const ORGANIZATION = /\bo-[a-z0-9]{10,32}\b/g;

function distinct(text: string, pattern: RegExp): string[] {
  return [...new Set(text.match(pattern) ?? [])].sort();
}

export function findConfigIds(text: string): ConfigIds {
  return {
    accounts: distinct(text, ACCOUNT),
    organizationalUnits: distinct(text, OU),
    organizations: distinct(text, ORGANIZATION),
  };
}

/** `text` with every id of `replacements` (old id → new id) replaced as a whole token. */
export function replaceConfigIds(text: string, replacements: ReadonlyMap<string, string>): string {
  return text
    .replace(ACCOUNT, (id) => replacements.get(id) ?? id)
    .replace(OU, (id) => replacements.get(id) ?? id)
    .replace(ORGANIZATION, (id) => replacements.get(id) ?? id);
}
