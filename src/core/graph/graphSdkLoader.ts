/**
 * The only module that loads `@microsoft/microsoft-graph-client` as a value (graphPipeline.ts imports
 * its types only). The extension bundle rewrites this one `import()` to `require('./graphSdk.js')`, a
 * separate bundle loaded on the first Graph request: the tree paints from the start-up cache without it.
 * The CLI keeps the SDK inline; unit tests load the package from node_modules.
 */
import type * as GraphSdk from '@microsoft/microsoft-graph-client';

export type GraphSdkModule = typeof GraphSdk;

let loaded: Promise<GraphSdkModule> | undefined;

/** Loads the Graph SDK once, on first use; a failed load is tried again on the next request. */
export function loadGraphSdk(): Promise<GraphSdkModule> {
  loaded ??= import('@microsoft/microsoft-graph-client').catch((e: unknown) => {
    loaded = undefined;
    throw e;
  });
  return loaded;
}
