/** A listen or dial address. */
export interface HostPort {
  host: string;
  port: number;
}

/** Parses "host:port", "[v6]:port" or ":port" (all interfaces); throws naming `field`. */
export function parseHostPort(text: string, field: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new Error(`${field}: '${text}' is not host:port`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

/** Formats for grpc-js and logs: IPv6 hosts in brackets. */
export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
