import { msg } from '../messages';
import { gdapErrorOf } from './gdapError';

export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china';

/** Where each service lives for one cloud (docs/api-notes.md §11), or for the local emulator. */
export interface ServiceEndpoints {
  readonly cloud: CloudName;
  /** Graph v1.0 root, no trailing slash, e.g. `https://graph.microsoft.com/v1.0`. */
  readonly graphBaseUrl: string;
  /** Resource used in Graph scopes, e.g. `https://graph.microsoft.com`. */
  readonly graphResource: string;
  /** Partner Center root including `/v1`, no trailing slash. */
  readonly partnerCenterBaseUrl: string;
  /** Resource used in Partner Center scopes. */
  readonly partnerCenterResource: string;
  /** Entra login host, e.g. `https://login.microsoftonline.com` (authority = host + '/' + tenant). */
  readonly loginHost: string;
  /** Present only in emulator mode: the loopback origin and the PEM trusted for that origin alone. */
  readonly emulator?: { readonly origin: string; readonly caPem?: string };
}

interface CloudHosts {
  readonly graph: string;
  readonly partnerCenter: string;
  readonly login: string;
  readonly gdapAvailable: boolean;
}

/** docs/api-notes.md §11. GCC (moderate) uses the global endpoints. */
export const CLOUD_HOSTS: Readonly<Record<CloudName, CloudHosts>> = {
  global: {
    graph: 'https://graph.microsoft.com',
    partnerCenter: 'https://api.partnercenter.microsoft.com',
    login: 'https://login.microsoftonline.com',
    gdapAvailable: true,
  },
  usgov: {
    graph: 'https://graph.microsoft.us',
    partnerCenter: 'https://api.partnercenter.microsoft.com',
    login: 'https://login.microsoftonline.us',
    gdapAvailable: true,
  },
  usgovdod: {
    graph: 'https://dod-graph.microsoft.us',
    partnerCenter: 'https://api.partnercenter.microsoft.com',
    login: 'https://login.microsoftonline.us',
    gdapAvailable: true,
  },
  // The docs contradict each other on China; most revisions say GDAP is unavailable there (§11).
  china: {
    graph: 'https://microsoftgraph.chinacloudapi.cn',
    partnerCenter: 'https://partner.partnercenterapi.microsoftonline.cn',
    login: 'https://login.chinacloudapi.cn',
    gdapAvailable: false,
  },
};

export const CLOUD_NAMES: readonly CloudName[] = ['global', 'usgov', 'usgovdod', 'china'];

export function isCloudName(value: unknown): value is CloudName {
  return typeof value === 'string' && (CLOUD_NAMES as readonly string[]).includes(value);
}

/** True for 127.0.0.0/8, `localhost` and `[::1]` — the only hosts an emulator may live on. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h === '[::1]' || h === '::1') {
    return true;
  }
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((part) => Number(part) <= 255);
}

/**
 * Validates an emulator URL: https (or http, for debugging only) on a loopback host, no path,
 * credentials, query or fragment. Returns its origin.
 */
export function parseEmulatorUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw gdapErrorOf(
      'invalidInput',
      msg('The emulator URL "{0}" is not a valid URL. Use the URL the emulator printed, e.g. https://127.0.0.1:8443.', value),
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw gdapErrorOf('invalidInput', msg('The emulator URL must use https (got {0}).', url.protocol));
  }
  if (!isLoopbackHost(url.hostname)) {
    throw gdapErrorOf(
      'invalidInput',
      msg('The emulator must run on this machine (127.0.0.1, localhost or [::1]); "{0}" is refused.', url.hostname),
    );
  }
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw gdapErrorOf('invalidInput', msg('The emulator URL must be an origin only (scheme, host and port), as the emulator printed it.'));
  }
  return url.origin;
}

export interface ResolveEndpointsOptions {
  readonly cloud: CloudName;
  /** From GDAP_EMULATOR_URL or `--emulator`; when set, every service is the emulator. */
  readonly emulatorUrl?: string;
  /** PEM text of the emulator's certificate (GDAP_EMULATOR_CA), trusted for its origin only. */
  readonly emulatorCaPem?: string;
}

export function resolveEndpoints(options: ResolveEndpointsOptions): ServiceEndpoints {
  const hosts = CLOUD_HOSTS[options.cloud];
  if (options.emulatorUrl !== undefined && options.emulatorUrl !== '') {
    const origin = parseEmulatorUrl(options.emulatorUrl);
    return {
      cloud: options.cloud,
      graphBaseUrl: `${origin}/v1.0`,
      // Scopes keep the real resource names so the same sign-in code runs against the emulator.
      graphResource: hosts.graph,
      partnerCenterBaseUrl: `${origin}/partnercenter/v1`,
      partnerCenterResource: hosts.partnerCenter,
      loginHost: origin,
      emulator: { origin, caPem: options.emulatorCaPem },
    };
  }
  if (!hosts.gdapAvailable) {
    throw gdapErrorOf('invalidInput', msg('GDAP is not available in the {0} cloud. Choose global, usgov or usgovdod.', options.cloud));
  }
  return {
    cloud: options.cloud,
    graphBaseUrl: `${hosts.graph}/v1.0`,
    graphResource: hosts.graph,
    partnerCenterBaseUrl: `${hosts.partnerCenter}/v1`,
    partnerCenterResource: hosts.partnerCenter,
    loginHost: hosts.login,
  };
}

/**
 * The Authorization allow-list (docs/architecture.md §3): a bearer token may be attached only to an https
 * host of the cloud table, or to the configured loopback emulator origin.
 */
export function mayAttachAuthorization(url: string, endpoints: ServiceEndpoints): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (endpoints.emulator !== undefined) {
    return parsed.origin === endpoints.emulator.origin;
  }
  if (parsed.protocol !== 'https:') {
    return false;
  }
  return Object.values(CLOUD_HOSTS).some((h) => h.graph === parsed.origin || h.partnerCenter === parsed.origin);
}
