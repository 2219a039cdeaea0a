/**
 * Field rules for the forms, written for people: each returns null when the
 * value is fine, or a message that names the field and says how to fix it.
 * They mirror the contract's schemas; the backend validates again on save.
 */
export type Rule = (value: string) => string | null;

const nameRe = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const hostRe = /^[A-Za-z0-9.:_-]+$/;
const userRe = /^[a-z_][a-z0-9_.-]{0,31}$/i;

/** A cluster or machine name (a DNS label). */
export const nameRule =
  (field: string): Rule =>
  (value) => {
    if (value === '') return `${field}: enter a name, e.g. edge-1`;
    if (/[A-Z]/.test(value)) return `${field}: use lowercase letters (${value.toLowerCase()})`;
    if (value.length > 63) return `${field}: use at most 63 characters (now ${value.length})`;
    if (!nameRe.test(value)) return `${field}: use letters, digits and dashes, starting and ending with a letter or digit`;
    return null;
  };

/** A host name or IP address. */
export const hostRule: Rule = (value) => {
  const host = value.trim();
  if (host === '') return 'Host: enter a host name or IP address, e.g. 203.0.113.10';
  if (host.length > 253) return 'Host: use at most 253 characters';
  if (!hostRe.test(host)) return 'Host: use a host name or IP address (letters, digits, dots, colons, dashes), without user@ or :port';
  return null;
};

/** A TCP port. */
export const portRule =
  (field = 'Port'): Rule =>
  (value) => {
    if (value.trim() === '') return `${field}: enter a port from 1 to 65535 (SSH is usually 22)`;
    if (!/^\d+$/.test(value.trim())) return `${field}: use a whole number from 1 to 65535`;
    const port = Number(value);
    if (port < 1 || port > 65535) return `${field}: ${value} is out of range; use a port from 1 to 65535`;
    return null;
  };

/** A Unix user name. */
export const userRule: Rule = (value) => {
  if (value === '') return 'User: enter the SSH user, e.g. root or ubuntu';
  if (!userRe.test(value)) return 'User: use a Unix user name (letters, digits, _ . -; up to 32 characters)';
  return null;
};

/** An absolute or home-relative path to a private key. */
export const keyFileRule: Rule = (value) => {
  if (value.trim() === '') return 'Key file: enter the path of a private key, e.g. ~/.ssh/id_ed25519';
  if (!/^(\/|~\/|[A-Za-z]:\\)/.test(value.trim())) return 'Key file: use a full path (starting with / or ~/)';
  if (/\.pub$/.test(value.trim())) return 'Key file: give the private key, not the .pub file';
  return null;
};

/** One jump host, `user@host[:port]`. */
export function parseJump(text: string): { user: string; host: string; port: number } | string {
  const match = /^([^@\s]+)@([^:\s]+)(?::(\d+))?$/.exec(text.trim());
  if (!match) return `Jump host: write it as user@host or user@host:port (got "${text.trim()}")`;
  const [, user = '', host = '', port = '22'] = match;
  const problem = userRule(user) ?? hostRule(host) ?? portRule('Jump host port')(port);
  if (problem) return `Jump host ${text.trim()}: ${problem.replace(/^[^:]+: /, '')}`;
  return { user, host, port: Number(port) };
}
