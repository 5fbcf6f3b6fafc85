import type * as Features from './features';

export type FeaturesModule = typeof Features;

let loaded: FeaturesModule | undefined;

/**
 * The command-only features and the network clients, loaded once on first use. In the extension bundle
 * this `require` becomes the separate bundle dist/features.js, wired to the extension bundle's own modules
 * (esbuild.config.mjs, `featureSplit`); unit tests load the sources. Synchronous, so that the clients
 * factory (called on the first Graph request, never for the first paint from the start-up cache) stays so.
 */
export function features(): FeaturesModule {
  // A require, not an import(): the one place the extension loads a bundle of its own on demand, synchronously.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./features') as FeaturesModule;
  return loaded;
}
