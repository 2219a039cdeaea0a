import { hostPaths } from '../../../agent/shared/host-paths.js';

/** Shell that sets `$init` to the host's init system: `systemd`, `openrc` or `other`. */
export const detectInit = `if [ -d /run/systemd/system ]; then init=systemd; elif [ -d /run/openrc ] && command -v openrc-run >/dev/null 2>&1; then init=openrc; else init=other; fi`;

/** Shell defining `kv`, which prints one `key=value` line. */
export const kvFunction = String.raw`kv() { printf '%s=%s\n' "$1" "$2"; }`;

/** Shell (after `kvFunction`) printing `spanwise_agent_sha256=` with the sha256 of the installed agent bundle, when there is one. */
export const installedAgentLine = `[ -f ${hostPaths.agent} ] && kv spanwise_agent_sha256 "$(sha256sum ${hostPaths.agent} | cut -d' ' -f1)"`;

/**
 * The pre-flight probe, run as root on the host before anything changes. It
 * only reads, and prints `key=value` lines that `parsePreflight` validates. Values that
 * come from files or other programs go through `kvs` (one line, at most 200 characters);
 * the rest are numbers or words the script itself prints, and stay free of extra processes.
 */
export const preflightScript = String.raw`
set +e
${kvFunction}
kvs() { kv "$1" "$(printf '%s' "$2" | tr '\n=' '  ' | cut -c1-200)"; }
have() { command -v "$1" >/dev/null 2>&1; }
. /etc/os-release 2>/dev/null
kvs os "$ID"
kvs os_version "$VERSION_ID"
kvs os_like "$ID_LIKE"
kv arch "$(uname -m)"
kv kernel "$(uname -r)"
${detectInit}
kv init "$init"
if [ -d /sys/module/wireguard ] || modprobe -q wireguard 2>/dev/null; then kv kernel_wireguard yes; else kv kernel_wireguard no; fi
have wg && kvs wg_version "$(wg --version 2>/dev/null | head -n1)"
have wireguard-go && kvs wireguard_go_version "$(wireguard-go --version 2>/dev/null | head -n1)"
have node && kvs node_version "$(node --version 2>/dev/null)" && kvs node_path "$(command -v node)"
for f in /lib/ld-musl-*.so.1; do [ -e "$f" ] && kv libc musl; break; done
kv decompressors "$(for z in xz gzip; do have $z && printf '%s ' $z; done)"
kv spanwise_runtimes "$(for d in /opt/spanwise/runtime/*/; do [ -x "$d/node" ] && basename "$d"; done 2>/dev/null | tr '\n' ',')"
[ -L /opt/spanwise/bin/node ] && kvs spanwise_node_link "$(readlink /opt/spanwise/bin/node)"
if have dpkg-query && [ "$(dpkg-query -W -f '${'${Status}'}' spanwise-agent 2>/dev/null)" = "install ok installed" ]; then kv spanwise_package deb; kvs spanwise_package_version "$(dpkg-query -W -f '${'${Version}'}' spanwise-agent)"
elif have rpm && rpm -q spanwise-agent >/dev/null 2>&1; then kv spanwise_package rpm; kvs spanwise_package_version "$(rpm -q --qf '%{VERSION}' spanwise-agent)"; fi
if have dpkg; then kv package_format deb; elif have rpm; then kv package_format rpm; fi
for pm in apt-get dnf yum apk zypper pacman; do if have $pm; then kv package_manager $pm; break; fi; done
kv udp_51820_users "$(ss -Hlunp 'sport = :51820' 2>/dev/null | sed -n 's/.*users:((\"\([^\"]*\)\".*/\1/p' | sort -u | tr '\n' ',')"
kv udp_51820_bound "$(ss -Hlun 'sport = :51820' 2>/dev/null | wc -l)"
kv tcp_50000_users "$(ss -Hltnp 'sport = :50000' 2>/dev/null | sed -n 's/.*users:((\"\([^\"]*\)\".*/\1/p' | sort -u | tr '\n' ',')"
kv tcp_50000_bound "$(ss -Hltn 'sport = :50000' 2>/dev/null | wc -l)"
dev=$(ip -o route show default 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n1)
kv default_link "$dev"
[ -n "$dev" ] && kv default_link_mtu "$(cat /sys/class/net/$dev/mtu 2>/dev/null)"
kv epoch_ms "$(date +%s%3N)"
fw=""
have nft && [ "$(nft list ruleset 2>/dev/null | grep -c 'hook input')" -gt 0 ] && fw="$fw nftables"
have iptables && [ "$(iptables -S INPUT 2>/dev/null | grep -vc '^-P')" -gt 0 ] && fw="$fw iptables"
have ufw && ufw status 2>/dev/null | grep -q 'Status: active' && fw="$fw ufw"
have firewall-cmd && firewall-cmd --state >/dev/null 2>&1 && fw="$fw firewalld"
iptables -S 2>/dev/null | grep -q DOCKER && fw="$fw docker"
kv firewalls "$fw"
kv wireguard_links "$(ip -o link show type wireguard 2>/dev/null | awk -F': ' '{print $2}' | tr '\n' ',')$(ls /var/run/wireguard 2>/dev/null | sed -n 's/\.sock$//p' | tr '\n' ',')"
kv ula_routes "$(ip -6 -o route show 2>/dev/null | awk '$1 ~ /^fd/ {print $1}' | tr '\n' ',')"
kv table_180 "$(ip rule show 2>/dev/null | grep -c 'lookup 180')"
kv free_mb "$(df -Pm /opt 2>/dev/null | awk 'NR==2 {print $4}')"
[ -f /var/lib/spanwise/kubespan-identity.yaml ] && kv spanwise_identity yes
${installedAgentLine}
kv done yes
`;
