import * as vscode from 'vscode';

export interface SessionRequest {
  /** Interactive (consent / account picker) only from a user gesture (docs/architecture.md §2.11). */
  readonly interactive: boolean;
  /** Ask for the Partner Center token with the account the Graph session used. */
  readonly account?: vscode.AuthenticationSessionAccountInformation;
}

/** Where sessions come from. Production: `vscode.authentication`; in-host tests may substitute. */
export interface SessionSource {
  readonly providerId: string;
  getSession(scopes: readonly string[], request: SessionRequest): Promise<vscode.AuthenticationSession | undefined>;
}

/** The only place in the product that calls `vscode.authentication.getSession`. */
export class VsCodeSessionSource implements SessionSource {
  constructor(readonly providerId: string) {}

  async getSession(scopes: readonly string[], request: SessionRequest): Promise<vscode.AuthenticationSession | undefined> {
    if (request.interactive) {
      return vscode.authentication.getSession(this.providerId, [...scopes], { createIfNone: true, account: request.account });
    }
    return vscode.authentication.getSession(this.providerId, [...scopes], { silent: true, account: request.account });
  }
}
