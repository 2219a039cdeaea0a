/** A discovery service address as the gRPC client wants it. */
export interface DiscoveryTarget {
  /** "host:port". */
  endpoint: string;
  /** Plaintext (h2c) for http://, TLS for https://. */
  insecure: boolean;
}

/** Parses a config discovery URL: https://host[:443] or http://host[:3000]; a redirect may be a bare host:port. */
export function parseDiscoveryUrl(url: string, insecureDefault = false): DiscoveryTarget {
  const match = /^(https?):\/\/(\[[^\]]+\]|[^/:]+)(?::(\d{1,5}))?\/?$/.exec(url);
  if (!match) {
    const bare = /^(\[[^\]]+\]|[^/:]+):(\d{1,5})$/.exec(url);
    if (bare) return { endpoint: url, insecure: insecureDefault };
    throw new Error(`'${url}' is not a discovery URL`);
  }
  const tls = match[1] === 'https';
  return { endpoint: `${match[2]}:${match[3] ?? (tls ? '443' : '3000')}`, insecure: !tls };
}
