import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { PathSegment, TemplateProblem } from './templateModel';

/*
 * Where each template problem is in the file's text, for the editor's diagnostics: the value at the
 * problem's JSON path, or the closest enclosing part that exists (a missing field underlines its object's
 * key). Syntax errors come from the JSON parser with their own offsets.
 */

export interface LocatedProblem {
  readonly problem: TemplateProblem;
  readonly offset: number;
  readonly length: number;
}

/** The node at `segments`, else the deepest existing ancestor. */
function closestNode(root: Node, segments: readonly PathSegment[]): Node {
  for (let n = segments.length; n >= 0; n -= 1) {
    const node = findNodeAtLocation(root, [...segments.slice(0, n)]);
    if (node !== undefined) {
      if (n < segments.length && node.type === 'object' && node.parent?.type === 'property' && node.parent.children?.[0] !== undefined) {
        // A field missing from an object: underline the object's key rather than the whole object.
        return node.parent.children[0];
      }
      return node;
    }
  }
  return root;
}

function syntaxProblems(errors: readonly ParseError[]): LocatedProblem[] {
  return errors.map((e) => ({
    problem: {
      path: '$',
      segments: [],
      code: 'syntax',
      message: `The template is not valid JSON: ${printParseErrorCode(e.error)}.`,
    },
    offset: e.offset,
    length: Math.max(1, e.length),
  }));
}

/** Places each problem in `text`. A text that is not valid JSON gives its syntax errors instead. */
export function locateProblems(text: string, problems: readonly TemplateProblem[]): LocatedProblem[] {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || root === undefined) {
    return errors.length > 0 ? syntaxProblems(errors) : [{ problem: problems[0], offset: 0, length: Math.max(1, text.length) }];
  }
  return problems.map((problem) => {
    const node = closestNode(root, problem.segments);
    return { problem, offset: node.offset, length: Math.max(1, node.length) };
  });
}
