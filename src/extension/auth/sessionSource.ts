import * as vscode from 'vscode';

export interface SessionRequest {
  /** Interactive (consent / account picker) only from a user gesture (docs/architecture.md §2.11). */
  readonly interactive: boolean;
  /** Ask for the Partner Center token with the account the Graph session used. */
  readonly account?: vscode.AuthenticationSessionAccountInformation;
}

/** A service's claims challenge to answer with a new interactive sign-in (docs/api-notes.md §15.6). */
export interface ChallengeRequest {
  /** The scopes of the service that sent the challenge (used when the challenge names none). */
  readonly scopes: readonly string[];
  /** The raw `WWW-Authenticate` value, as VS Code's challenge API takes it. */
  readonly wwwAuthenticate: string;
  readonly account?: vscode.AuthenticationSessionAccountInformation;
}

/** Where sessions come from. Production: `vscode.authentication`; in-host tests may substitute. */
export interface SessionSource {
  readonly providerId: string;
  getSession(scopes: readonly string[], request: SessionRequest): Promise<vscode.AuthenticationSession | undefined>;
  /** A new interactive session that satisfies a claims challenge (e.g. MFA); a user gesture only. */
  getSessionForChallenge?(request: ChallengeRequest): Promise<vscode.AuthenticationSession | undefined>;
}

/**
 * `vscode.authentication.getSession` with a WWW-Authenticate challenge (VS Code 1.105+; the types this
 * extension builds against predate it). The provider then asks the sign-in for the challenge's claims.
 */
type GetSessionWithChallenge = (
  providerId: string,
  request: { readonly wwwAuthenticate: string; readonly fallbackScopes: readonly string[] },
  options: vscode.AuthenticationGetSessionOptions,
) => Thenable<vscode.AuthenticationSession | undefined>;

/** The only place in the product that calls `vscode.authentication.getSession`. */
export class VsCodeSessionSource implements SessionSource {
  constructor(readonly providerId: string) {}

  async getSession(scopes: readonly string[], request: SessionRequest): Promise<vscode.AuthenticationSession | undefined> {
    if (request.interactive) {
      return vscode.authentication.getSession(this.providerId, [...scopes], { createIfNone: true, account: request.account });
    }
    return vscode.authentication.getSession(this.providerId, [...scopes], { silent: true, account: request.account });
  }

  async getSessionForChallenge(request: ChallengeRequest): Promise<vscode.AuthenticationSession | undefined> {
    const getSession = vscode.authentication.getSession as unknown as GetSessionWithChallenge;
    try {
      return await getSession(
        this.providerId,
        { wwwAuthenticate: request.wwwAuthenticate, fallbackScopes: [...request.scopes] },
        { createIfNone: true, account: request.account },
      );
    } catch (e) {
      if (!(e instanceof TypeError)) {
        throw e;
      }
      // A VS Code without the challenge API: a fresh sign-in, where the tenant's policy can require MFA.
      return vscode.authentication.getSession(this.providerId, [...request.scopes], {
        forceNewSession: { detail: vscode.l10n.t('Partner Center requires a sign-in with multi-factor authentication.') },
        account: request.account,
      });
    }
  }
}
