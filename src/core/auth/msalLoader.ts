/**
 * The only module that imports `@azure/msal-node`. Everything else reaches msal through `loadMsal()`
 * (and the types re-exported here), so msal is loaded only on the sign-in paths that need it and can
 * later be split out of the extension bundle by marking this one import external.
 */
import type * as MsalNode from '@azure/msal-node';

export type MsalModule = typeof MsalNode;
export type MsalConfiguration = MsalNode.Configuration;
export type MsalNetworkModule = MsalNode.INetworkModule;
export type MsalNetworkRequestOptions = MsalNode.NetworkRequestOptions;
export type MsalNetworkResponse<T> = MsalNode.NetworkResponse<T>;
export type MsalCachePlugin = MsalNode.ICachePlugin;
export type MsalTokenCacheContext = MsalNode.TokenCacheContext;
export type MsalAuthenticationResult = MsalNode.AuthenticationResult;
export type MsalAccountInfo = MsalNode.AccountInfo;
export type MsalDeviceCodeRequest = MsalNode.DeviceCodeRequest;
export type MsalPublicClientApplication = MsalNode.PublicClientApplication;
export type MsalConfidentialClientApplication = MsalNode.ConfidentialClientApplication;
export type MsalLoggerOptions = NonNullable<MsalNode.NodeSystemOptions['loggerOptions']>;

let loaded: Promise<MsalModule> | undefined;

/** Loads msal-node once, on first use. */
export function loadMsal(): Promise<MsalModule> {
  loaded ??= import('@azure/msal-node');
  return loaded;
}
