/**
 * Where the widget keeps its session token. An iframe on another site does not get the
 * session cookie in most browsers (third-party cookies), so it authenticates with the token.
 */
const KEY = 'parlor.token';

export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}

export function localTokenStore(): TokenStore {
  return {
    get: () => read(),
    set: (token) => {
      try {
        if (token) localStorage.setItem(KEY, token);
        else localStorage.removeItem(KEY);
      } catch {
        // Storage can be disabled; the token then lives as long as the page.
      }
      memory = token;
    },
  };
}

let memory: string | null = null;
function read(): string | null {
  try {
    return localStorage.getItem(KEY) ?? memory;
  } catch {
    return memory;
  }
}
