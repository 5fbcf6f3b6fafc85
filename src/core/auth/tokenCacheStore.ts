import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MsalCachePlugin, MsalTokenCacheContext } from './msalLoader';

/**
 * Where the msal token cache of a device-code sign-in is persisted, as opaque serialized text.
 * The CLI uses a 0600 file ({@link createFileTokenCacheStore}); the extension passes one backed by
 * `SecretStorage`. Implementations never log the text: it holds refresh tokens.
 */
export interface TokenCacheStore {
  /** The last saved text, or undefined when nothing is saved yet. */
  load(): Promise<string | undefined>;
  save(serialized: string): Promise<void>;
}

/** msal cache plugin over a {@link TokenCacheStore}: read before each cache access, write after a change. */
export function toMsalCachePlugin(store: TokenCacheStore): MsalCachePlugin {
  return {
    async beforeCacheAccess(context: MsalTokenCacheContext): Promise<void> {
      const text = await store.load();
      if (text !== undefined && text !== '') {
        context.tokenCache.deserialize(text);
      }
    },
    async afterCacheAccess(context: MsalTokenCacheContext): Promise<void> {
      if (context.cacheHasChanged) {
        await store.save(context.tokenCache.serialize());
      }
    },
  };
}

/** `$XDG_STATE_HOME/gdap`, default `~/.local/state/gdap`: the CLI's journal and token cache live here. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg !== undefined && xdg !== '' && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'gdap');
}

/**
 * A token cache file readable by its owner only: the directory is created 0700, the file written
 * 0600 through a temporary file and a rename, so a crash never leaves a half-written cache and no
 * other user can read it at any moment.
 */
export function createFileTokenCacheStore(filePath: string): TokenCacheStore {
  return {
    async load(): Promise<string | undefined> {
      try {
        return await fs.readFile(filePath, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
          return undefined;
        }
        throw e;
      }
    },
    async save(serialized: string): Promise<void> {
      await fs.mkdir(path.dirname(filePath), { recursive: true, mode: 0o700 });
      const tmp = `${filePath}.${process.pid}.tmp`;
      const handle = await fs.open(tmp, 'w', 0o600);
      try {
        await handle.chmod(0o600);
        await handle.writeFile(serialized, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, filePath);
    },
  };
}
