import { execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nftRuleset } from './nftables.js';
import { ruleAddCommand } from './routing.js';
import { KUBESPAN } from './types.js';

/**
 * The mesh's routing on a real kernel, in namespaces made here: a node whose mesh link is a
 * dead end (a veth named kubespan whose far side drops everything, as a tunnel to a restarted
 * peer does) and a peer that reaches it over the underlay. Replies to what the peer opened over
 * the underlay must leave over the underlay; what the node opens itself still goes into the mesh.
 */
const node = `sw-rp-node-${process.pid}`;
const peer = `sw-rp-peer-${process.pid}`;
const sink = `sw-rp-sink-${process.pid}`;
const NODE_IP = '192.0.2.1';
const PEER_IP = '192.0.2.2';
const sh = (ns: string, script: string) => execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', script], { encoding: 'utf8' });

/** Whether a TCP connection from `from` to host:port completes, with nc's own timeout. */
function connects(from: string, host: string, port: number): boolean {
  try {
    execFileSync('ip', ['netns', 'exec', from, 'nc', '-z', '-w', '2', host, String(port)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('replies to connections a peer opened outside the mesh', () => {
  const listeners: ReturnType<typeof spawn>[] = [];
  beforeAll(() => {
    for (const ns of [node, peer, sink]) execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['link', 'add', 'eth0', 'netns', node, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peer]);
    execFileSync('ip', ['link', 'add', KUBESPAN.link, 'netns', node, 'type', 'veth', 'peer', 'name', 'void', 'netns', sink]);
    sh(
      node,
      `ip addr add ${NODE_IP}/24 dev eth0 && ip link set eth0 up && ip link set lo up && ip addr add 198.51.100.1/30 dev ${KUBESPAN.link} && ip link set ${KUBESPAN.link} up`,
    );
    sh(peer, `ip addr add ${PEER_IP}/24 dev eth0 && ip link set eth0 up && ip link set lo up`);
    sh(sink, 'ip link set void up && nft add table inet t && nft add chain inet t c "{ type filter hook prerouting priority -300; policy drop; }"');
    sh(node, `ip route add default dev ${KUBESPAN.link} table ${KUBESPAN.table} && ${ruleAddCommand('-4').join(' ')}`);
    const discovery = { address: PEER_IP, port: 4001 };
    execFileSync('ip', ['netns', 'exec', node, 'nft', '-f', '-'], { input: nftRuleset(1420, { v4: [`${PEER_IP}/32`], v6: [] }, [], [], [discovery]) });
    for (const [ns, port] of [
      [node, 3000],
      [peer, 4000],
      [peer, 4001],
    ] as const) {
      const listener = spawn('ip', ['netns', 'exec', ns, 'nc', '-lk', String(port)], { stdio: 'ignore' });
      listeners.push(listener);
    }
    execFileSync('sleep', ['0.5']);
  });
  afterAll(() => {
    for (const listener of listeners) listener.kill();
    for (const ns of [node, peer, sink]) execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  });

  it("answers the peer over the underlay, although the peer's address is routed into the mesh", () => {
    expect(connects(peer, NODE_IP, 3000)).toBe(true);
  });

  it('still sends what the node opens to the peer into the mesh', () => {
    expect(connects(node, PEER_IP, 4000)).toBe(false);
    expect(sh(node, `ip route get ${PEER_IP} mark ${KUBESPAN.meshMark}`)).toContain(`dev ${KUBESPAN.link}`);
  });

  it('reaches the discovery service on the peer over the underlay while the tunnel to it is dead', () => {
    expect(connects(node, PEER_IP, 4001)).toBe(true);
  });
});
