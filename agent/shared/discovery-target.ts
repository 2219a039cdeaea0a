/** A discovery service address as the gRPC client wants it. */
export interface DiscoveryTarget {
  /** "host:port". */
  endpoint: string;
  /** Plaintext (h2c) for http://, TLS for https://. */
  insecure: boolean;
  /** TLS verified against the cluster CA (config `discovery.clusterCa`) instead of the system roots. */
  clusterCa?: boolean;
}

/** Where a Hello redirect leads, or why it is refused. */
export type RedirectOutcome = { ok: true; target: DiscoveryTarget } | { ok: false; reason: string };

/**
 * Follows a redirect from `from`: a bare host:port keeps the transport and the trust of `from`;
 * a URL says its own. From a TLS endpoint, any redirect to plaintext is refused (an on-path
 * attacker or a misconfigured server would otherwise strip TLS), as is one that is no address.
 */
export function followRedirect(from: DiscoveryTarget, redirect: string): RedirectOutcome {
  let parsed: DiscoveryTarget;
  try {
    parsed = parseDiscoveryUrl(redirect, from.insecure);
  } catch {
    return { ok: false, reason: `the redirect '${redirect}' is not a discovery address` };
  }
  if (!from.insecure && parsed.insecure)
    return { ok: false, reason: `the redirect from TLS endpoint ${from.endpoint} to '${redirect}' would drop TLS (plaintext h2c)` };
  return { ok: true, target: { ...parsed, ...(from.clusterCa && !parsed.insecure ? { clusterCa: true } : {}) } };
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
