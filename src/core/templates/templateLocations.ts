import { english } from '../messages';
import { notJsonMessage, type PathSegment, type TemplateProblem } from './templateModel';

/*
 * Where each template problem is in the file's text, for the editor's diagnostics: the value at the
 * problem's JSON path, or the closest enclosing part that exists (a missing field underlines the object
 * that lacks it). A text that is not JSON gives one problem where the parser stopped. A small locator of
 * its own (it only runs on text JSON.parse accepted), so core needs no parser library.
 */

export interface LocatedProblem {
  readonly problem: TemplateProblem;
  readonly offset: number;
  readonly length: number;
}

interface JsonNode {
  readonly offset: number;
  length: number;
  /** Object members by key, array items by index. */
  readonly children: Map<PathSegment, JsonNode>;
}

/** Offsets of every value of a valid JSON text. */
class Locator {
  private i = 0;

  constructor(private readonly text: string) {}

  parse(): JsonNode {
    this.space();
    return this.value();
  }

  private space(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i])) {
      this.i += 1;
    }
  }

  private string(): void {
    this.i += 1; // opening quote
    while (this.i < this.text.length && this.text[this.i] !== '"') {
      this.i += this.text[this.i] === '\\' ? 2 : 1;
    }
    this.i += 1;
  }

  private value(): JsonNode {
    const node: JsonNode = { offset: this.i, length: 0, children: new Map() };
    const c = this.text[this.i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.i += 1;
      this.space();
      let index = 0;
      while (this.i < this.text.length && this.text[this.i] !== close) {
        let key: PathSegment = index;
        if (c === '{') {
          const start = this.i;
          this.string();
          key = JSON.parse(this.text.slice(start, this.i)) as string;
          this.space();
          this.i += 1; // colon
          this.space();
        }
        node.children.set(key, this.value());
        index += 1;
        this.space();
        if (this.text[this.i] === ',') {
          this.i += 1;
          this.space();
        }
      }
      this.i += 1;
    } else if (c === '"') {
      this.string();
    } else {
      while (this.i < this.text.length && !/[\s,\]}]/.test(this.text[this.i])) {
        this.i += 1;
      }
    }
    node.length = this.i - node.offset;
    return node;
  }
}

/** The node at `segments`, else the deepest existing ancestor. */
function closestNode(root: JsonNode, segments: readonly PathSegment[]): JsonNode {
  let node = root;
  for (const s of segments) {
    const next = node.children.get(s);
    if (next === undefined) {
      return node;
    }
    node = next;
  }
  return node;
}

/** Where JSON.parse stopped: Node's messages say "at position N" (or line and column). */
function syntaxOffset(text: string, error: unknown): number {
  const message = error instanceof Error ? error.message : '';
  const position = /position (\d+)/.exec(message);
  if (position !== null) {
    return Math.min(Number(position[1]), text.length);
  }
  return text.length;
}

/** Places each problem in `text`. A text that is not valid JSON gives one syntax problem instead. */
export function locateProblems(text: string, problems: readonly TemplateProblem[]): LocatedProblem[] {
  try {
    JSON.parse(text);
  } catch (error) {
    const offset = syntaxOffset(text, error);
    const message = notJsonMessage(error);
    const syntax = problems.find((p) => p.code === 'syntax') ?? {
      path: '$',
      segments: [],
      code: 'syntax' as const,
      message: english(message),
      messageCode: message,
    };
    return [{ problem: syntax, offset: Math.max(0, Math.min(offset, text.length - 1)), length: 1 }];
  }
  const root = new Locator(text).parse();
  return problems.map((problem) => {
    const node = closestNode(root, problem.segments);
    return { problem, offset: node.offset, length: Math.max(1, node.length) };
  });
}
