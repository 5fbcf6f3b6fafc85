// Checks that every `vscode.l10n.t` message of the extension is in l10n/bundle.l10n.json and that every call
// passes a literal message (a computed one cannot be extracted, so it would never be translated).
//
//   node -r ./test/unit/register.cjs scripts/l10nCheck.ts      (run by `npm run lint`)
//
// Exits 1 on any finding; `npm run l10n` regenerates the bundle from the sources.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

export interface L10nCall {
  readonly file: string;
  /** 1-based line of the call. */
  readonly line: number;
  /** The literal message, or undefined when the call passes something else. */
  readonly message: string | undefined;
}

/** `vscode.l10n.t(...)` or `l10n.t(...)`. */
function isL10nCall(node: ts.CallExpression): boolean {
  const callee = node.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 't' &&
    ((ts.isIdentifier(callee.expression) && callee.expression.text === 'l10n') ||
      (ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === 'l10n'))
  );
}

function literalText(node: ts.Expression | undefined): string | undefined {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/** The comment that marks the one call passing core's messages on to `vscode.l10n.t` (its line or the one above). */
export const BRIDGE_MARK = 'l10n-bridge';

/** Every l10n call of one TypeScript source text, with its message when that is a literal. */
export function findL10nCallsInText(file: string, content: string): L10nCall[] {
  const source = ts.createSourceFile(file, content, ts.ScriptTarget.Latest, true);
  const lines = content.split('\n');
  const out: L10nCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isL10nCall(node)) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      const bridge = [lines[line - 1], lines[line - 2]].some((l) => l !== undefined && l.includes(BRIDGE_MARK));
      if (!bridge) {
        out.push({ file, line, message: literalText(node.arguments[0]) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/**
 * The messages src/core hands to a translating face: templates of `msg('…', …)` (src/core/messages.ts)
 * and of the confirmation renderer's `t('…', …)` (its `translate`). Calls with a computed first argument
 * pass an already collected message on and are not listed.
 */
export function findCoreMessagesInText(file: string, content: string): string[] {
  const source = ts.createSourceFile(file, content, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['msg', 't'].includes(node.expression.text)) {
      const message = literalText(node.arguments[0]);
      if (message !== undefined) {
        out.push(message);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The core messages of every TypeScript file under `dir`, once each, in source order. */
export function findCoreMessages(dir: string): string[] {
  return [...new Set(tsFiles(dir).flatMap((file) => findCoreMessagesInText(file, readFileSync(file, 'utf8'))))];
}

export interface L10nFinding {
  readonly file: string;
  readonly line: number;
  readonly problem: string;
}

/** Findings for calls against the English bundle's keys: non-literal messages and messages missing from it. */
export function checkL10nCalls(calls: readonly L10nCall[], bundle: Readonly<Record<string, string>>): L10nFinding[] {
  const findings: L10nFinding[] = [];
  for (const call of calls) {
    if (call.message === undefined) {
      findings.push({ file: call.file, line: call.line, problem: 'l10n.t needs a literal message (a computed one is never translated)' });
    } else if (!Object.hasOwn(bundle, call.message)) {
      findings.push({
        file: call.file,
        line: call.line,
        problem: `message missing from l10n/bundle.l10n.json: ${JSON.stringify(call.message)}`,
      });
    }
  }
  return findings;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      out.push(...tsFiles(path));
    } else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out;
}

/** The l10n calls of every TypeScript file under `dir`. */
export function findL10nCalls(dir: string): L10nCall[] {
  return tsFiles(dir).flatMap((file) => findL10nCallsInText(file, readFileSync(file, 'utf8')));
}

function main(): void {
  const root = resolve(__dirname, '..');
  const bundlePath = join(root, 'l10n', 'bundle.l10n.json');
  const coreMessages = findCoreMessages(join(root, 'src', 'core'));
  if (process.argv.includes('--add-core')) {
    // After `l10n-dev export` (which sees only l10n.t calls): add core's messages to the bundle.
    const exported = JSON.parse(readFileSync(bundlePath, 'utf8')) as Record<string, string>;
    for (const m of coreMessages) {
      exported[m] = m;
    }
    writeFileSync(bundlePath, `${JSON.stringify(exported, null, 2)}\n`);
    return;
  }
  const calls = [
    ...findL10nCalls(join(root, 'src', 'extension')),
    ...coreMessages.map((message) => ({ file: join(root, 'src', 'core'), line: 0, message })),
  ];
  const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as Record<string, string>;
  const findings = checkL10nCalls(calls, bundle);
  for (const f of findings) {
    console.error(`${relative(root, f.file)}:${f.line}: ${f.problem}`);
  }
  if (findings.length > 0) {
    console.error(`${findings.length} l10n problem(s); after fixing calls, run \`npm run l10n\` to regenerate the bundle.`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main();
}
