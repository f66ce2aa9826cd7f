// Helpers that keep personal data out of logs.

/** `demo@example.com` -> `d***@example.com`; anything else -> its first character and `***`. */
export function maskLogin(login: string): string {
  const at = login.lastIndexOf('@');
  if (at > 0) return `${login.charAt(0)}***${login.slice(at)}`;
  return login.length > 0 ? `${login.charAt(0)}***` : '';
}
