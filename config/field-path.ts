/** `["reports", "scope", "regions", 0]` as `reports.scope.regions[0]`: the field paths error messages name. */
export function pathToString(segments: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const seg of segments) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}
