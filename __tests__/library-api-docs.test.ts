import path from "node:path";
import ts from "typescript";

/**
 * The library's public surface (what index.ts exports): every exported interface and class, and each of their
 * public properties, carries a doc comment (they become the .d.ts hover text users read), and none is typed `any`.
 */
const ENTRY = path.join(__dirname, "..", "index.ts");

function publicMembers(): { undocumented: string[]; anyTyped: string[]; checked: number } {
  const program = ts.createProgram([ENTRY], {
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(ENTRY)!)!;
  const undocumented: string[] = [];
  const anyTyped: string[] = [];
  let checked = 0;
  for (const exported of checker.getExportsOfModule(entry)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    for (const decl of symbol.declarations ?? []) {
      if (!ts.isInterfaceDeclaration(decl) && !ts.isClassDeclaration(decl)) continue;
      if (decl.getSourceFile().fileName.includes("node_modules")) continue;
      if (ts.getJSDocCommentsAndTags(decl).length === 0) undocumented.push(exported.name);
      for (const member of decl.members) {
        if (!ts.isPropertySignature(member) && !ts.isPropertyDeclaration(member)) continue;
        if (ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
        checked++;
        const name = `${exported.name}.${member.name.getText()}`;
        const memberSymbol = checker.getSymbolAtLocation(member.name);
        if (!memberSymbol || memberSymbol.getDocumentationComment(checker).length === 0) undocumented.push(name);
        if (member.type && /\bany\b/.test(member.type.getText())) anyTyped.push(name);
      }
    }
  }
  return { undocumented, anyTyped, checked };
}

test("every exported interface, class and public property of the library has a doc comment, none is `any`", () => {
  const { undocumented, anyTyped, checked } = publicMembers();
  expect(checked).toBeGreaterThan(100);
  expect(undocumented).toEqual([]);
  expect(anyTyped).toEqual([]);
});
