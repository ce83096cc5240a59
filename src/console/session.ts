/**
 * The agent's sign-in: the token held for this tab, kept in storage (`sessionStorage`
 * in the browser) so a reload signs in again. Apart from the store so the one place
 * that touches the token's storage is small enough to read at a glance.
 */

/** The storage the token is kept in (`sessionStorage` in the browser). */
export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const TOKEN_KEY = 'parley-console:token';

export class Session {
  private _token: string | null = null;

  constructor(private readonly storage: TokenStorage | null) {}

  /** The token in use, or null when signed out. */
  get token(): string | null {
    return this._token;
  }

  /** The token kept from earlier in this tab, if any. */
  stored(): string | null {
    return this.storage?.getItem(TOKEN_KEY) ?? null;
  }

  /** Uses `token` and keeps it for this tab. */
  keep(token: string): void {
    this._token = token;
    try {
      this.storage?.setItem(TOKEN_KEY, token);
    } catch {
      /* storage full or disabled: the session still works */
    }
  }

  /** Drops the token, here and in storage. */
  forget(): void {
    this._token = null;
    this.storage?.removeItem(TOKEN_KEY);
  }
}
