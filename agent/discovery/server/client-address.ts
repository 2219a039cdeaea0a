import type { Metadata } from '@grpc/grpc-js';
import { formatPrefix, ipFromBytes, maskAddr, parseIp, type IpAddr } from '../../shared/ip.js';

/** The address in grpc-js `getPeer()` ("1.2.3.4:5", "::1:5" meaning [::1]:5, "[::1]:5"); IPv4-mapped becomes IPv4. */
export function peerAddress(peer: string): IpAddr | undefined {
  const text = peer.replace(/^ipv[46]:/, '');
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  const addr = bracket ? parseIp(bracket[1] ?? '') : (parseIp(text.replace(/:\d+$/, '')) ?? parseIp(text));
  return addr && ipFromBytes(addr.bytes, true);
}

function header(metadata: Metadata, name: string): string | undefined {
  const value = metadata.get(name)[0];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The caller's address. Proxy headers are honoured only when `trustProxy` is set:
 * X-Real-IP first, else the last X-Forwarded-For hop (the one the proxy saw).
 */
export function clientAddress(peer: string, metadata: Metadata, trustProxy: boolean): IpAddr | undefined {
  if (trustProxy) {
    const forwarded = header(metadata, 'x-real-ip') ?? header(metadata, 'x-forwarded-for')?.split(',').pop()?.trim();
    const addr = forwarded ? parseIp(forwarded) : undefined;
    if (addr) return ipFromBytes(addr.bytes, true);
  }
  return peerAddress(peer);
}

/**
 * The key a caller's rate budget is kept under: its IPv6 /64 (one subscriber's
 * network, where every address costs nothing) or its IPv4 /32.
 */
export function addressKey(addr: IpAddr | undefined): string {
  if (!addr) return 'unknown';
  const bits = addr.family === 6 ? 64 : 32;
  return formatPrefix({ addr: maskAddr(addr, bits), bits });
}
