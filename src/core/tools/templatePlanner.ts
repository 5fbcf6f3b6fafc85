import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Inventory } from '../actions/inventory';
import { planTemplate } from '../templates/planner';
import { planJson } from '../templates/planOutput';
import { parseTemplate } from '../templates/templateModel';
import type { TemplatePlanner } from './toolQueries';
import { ToolInputError } from './toolSpecs';

/*
 * gdap_plan_template for both front ends: a model names a template file; it is read only from inside the
 * folders the front end allows (the workspace folders in VS Code, the working directory of `gdap mcp`),
 * only when it is a `*.gdap.json` file, and planned against the inventory with the same planner as
 * `gdap plan` (docs/templates.md). Planning sends nothing.
 */

const TEMPLATE_FILE = /\.gdap\.json$/i;
const MAX_TEMPLATE_BYTES = 1024 * 1024;

/**
 * The real path of `name` when it is a template file inside one of `roots` (symbolic links resolved, so a
 * link cannot lead outside); a {@link ToolInputError} that says what is allowed otherwise.
 */
export async function confineTemplatePath(roots: readonly string[], name: string): Promise<string> {
  if (!TEMPLATE_FILE.test(name)) {
    throw new ToolInputError(`"${name}" is not a template: name a *.gdap.json file.`);
  }
  if (roots.length === 0) {
    throw new ToolInputError('No folder is open, so there is no template to plan: open the folder that holds it.');
  }
  for (const root of roots) {
    const candidate = path.resolve(root, name);
    let real: string;
    let realRoot: string;
    try {
      [real, realRoot] = await Promise.all([fs.realpath(candidate), fs.realpath(root)]);
    } catch {
      continue;
    }
    const relative = path.relative(realRoot, real);
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
      return real;
    }
  }
  throw new ToolInputError(`No template "${name}" inside ${roots.length === 1 ? 'the folder' : 'the folders'} GDAP Explorer may read.`);
}

/** A planner that reads templates with `read` from inside `roots()`. */
export function folderTemplatePlanner(
  roots: () => readonly string[],
  read: (file: string) => Promise<string> = (file) => fs.readFile(file, 'utf8'),
): TemplatePlanner {
  return {
    async plan(name: string, inventory: Inventory): Promise<Record<string, unknown>> {
      const file = await confineTemplatePath(roots(), name);
      const stat = await fs.stat(file);
      if (stat.size > MAX_TEMPLATE_BYTES) {
        throw new ToolInputError(`"${name}" is larger than 1 MB; a template that size is not planned here.`);
      }
      const parsed = parseTemplate(await read(file));
      if (!parsed.ok) {
        throw new ToolInputError(
          `"${name}" has ${parsed.problems.length} problem(s); fix them first: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        );
      }
      return { ...planJson(planTemplate(parsed.template, inventory)) };
    },
  };
}
