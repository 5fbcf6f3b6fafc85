import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { findLongFunctions, findLongFunctionsInText, MAX_FUNCTION_LINES } from '../../../scripts/longFunctions';

const ROOT = resolve(__dirname, '../../..');

function fn(name: string, bodyLines: number, comment = ''): string {
  return `${comment}export function ${name}(): number {\n${'  void 0;\n'.repeat(bodyLines)}  return 1;\n}\n`;
}

describe('function length check (scripts/longFunctions.ts)', () => {
  it('lists functions, methods and arrow functions over 80 lines, with name, line and length', () => {
    const text = [
      fn('short', 10),
      fn('long', 85),
      `export class C {\n  method(): void {\n${'    void 0;\n'.repeat(90)}  }\n}\n`,
      `export const arrow = (): void => {\n${'  void 0;\n'.repeat(81)}};\n`,
    ].join('\n');
    const found = findLongFunctionsInText('sample.ts', text);
    assert.deepEqual(
      found.map((f) => [f.name, f.lines > MAX_FUNCTION_LINES]),
      [
        ['long', true],
        ['method', true],
        ['arrow', true],
      ],
    );
    assert.equal(found[0].line, 15);
    assert.equal(found[0].lines, 88);
  });

  it('excuses a long function whose leading comment says why it must be long', () => {
    const text = [
      fn('justified', 90, '/**\n * Long because: one state machine.\n */\n'),
      fn('lineComment', 90, '// long because: a table of cases.\n'),
      fn('unexplained', 90, '/** Does things. */\n'),
    ].join('\n');
    assert.deepEqual(
      findLongFunctionsInText('sample.ts', text).map((f) => f.name),
      ['unexplained'],
    );
  });

  it('finds none anywhere in src (core, CLI, emulator, extension)', () => {
    const found = findLongFunctions(ROOT, ['src']);
    assert.deepEqual(
      found.map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`),
      [],
    );
  });
});
