// Lists functions longer than 80 lines that carry no comment saying why they must be long.
//
//   node -r ./test/unit/register.cjs scripts/longFunctions.ts [folder…]   (default: src)
//
// Exits 1 when any is found. A function is excused by a comment containing "long because" placed
// directly above it (or above the statement that declares it), e.g.
//   // long because: one state machine; splitting it would scatter the shared state.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

export const MAX_FUNCTION_LINES = 80;
/** The phrase a justifying comment must contain. */
export const LONG_REASON_MARK = 'long because';

export interface LongFunction {
  readonly file: string;
  readonly name: string;
  /** 1-based line of the function's start. */
  readonly line: number;
  readonly lines: number;
}

function functionName(node: ts.Node): string {
  if (
    (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) &&
    node.name !== undefined
  ) {
    return node.name.getText();
  }
  if (ts.isConstructorDeclaration(node)) {
    return 'constructor';
  }
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText();
  }
  return '(anonymous)';
}

/** The comments that may justify `node`: its own leading comments and those of the statement declaring it. */
function leadingCommentText(node: ts.Node, source: ts.SourceFile): string {
  const text = source.getFullText();
  const holders: ts.Node[] = [node];
  for (let p: ts.Node | undefined = node.parent; p !== undefined && !ts.isSourceFile(p); p = p.parent) {
    holders.push(p);
    if (ts.isStatement(p) || ts.isClassElement(p) || ts.isPropertyAssignment(p)) {
      break;
    }
  }
  return holders
    .flatMap((h) => ts.getLeadingCommentRanges(text, h.getFullStart()) ?? [])
    .map((r) => text.slice(r.pos, r.end))
    .join('\n');
}

/** Functions over `maxLines` lines in one TypeScript source text, without a justifying comment. */
export function findLongFunctionsInText(file: string, content: string, maxLines = MAX_FUNCTION_LINES): LongFunction[] {
  const source = ts.createSourceFile(file, content, ts.ScriptTarget.Latest, true);
  const out: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > maxLines && !leadingCommentText(node, source).toLowerCase().includes(LONG_REASON_MARK)) {
        out.push({ file, name: functionName(node), line: start + 1, lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      out.push(...tsFiles(path));
    } else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out.sort();
}

/** Every unjustified long function under the given folders (paths relative to `root`). */
export function findLongFunctions(root: string, folders: readonly string[], maxLines = MAX_FUNCTION_LINES): LongFunction[] {
  return folders.flatMap((folder) =>
    tsFiles(resolve(root, folder)).flatMap((file) =>
      findLongFunctionsInText(relative(root, file).split('\\').join('/'), readFileSync(file, 'utf8'), maxLines),
    ),
  );
}

if (require.main === module) {
  const root = resolve(__dirname, '..');
  const folders = process.argv.slice(2);
  const found = findLongFunctions(root, folders.length > 0 ? folders : ['src']);
  for (const f of found) {
    console.log(`${f.file}:${f.line}  ${f.name}  ${f.lines} lines`);
  }
  console.log(
    found.length === 0
      ? `No function over ${MAX_FUNCTION_LINES} lines without a "${LONG_REASON_MARK}" comment.`
      : `${found.length} function(s) over ${MAX_FUNCTION_LINES} lines; shorten them or say above each why it must be long ("${LONG_REASON_MARK}: …").`,
  );
  process.exitCode = found.length === 0 ? 0 : 1;
}
