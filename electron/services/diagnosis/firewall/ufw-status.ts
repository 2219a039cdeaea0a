import { addressMatch, type Packet, type Tri } from './ipt-packet.js';
import { portListHas } from './types.js';

/** One row of `ufw status verbose`'s table. */
export interface UfwRow {
  to: string;
  action: string;
  from: string;
  /** The row exactly as printed. */
  line: string;
}

/** `ufw status verbose` read as data. */
export interface UfwStatus {
  active: boolean;
  /** The `Default:` line as printed, and its policies. */
  defaultLine: string | null;
  incoming: string;
  outgoing: string;
  rules: UfwRow[];
}

const MAX_ROWS = 4096;

/** Parses `ufw status verbose`; output without a `Status:` line is refused. */
export function parseUfwStatus(text: string): UfwStatus | string {
  if (text.length > 512 * 1024) return 'ufw status is larger than 512 KiB';
  const status = /^Status:\s*(\S+)/m.exec(text)?.[1];
  if (!status) return `ufw status printed no "Status:" line (${JSON.stringify(text.trim().slice(0, 80))})`;
  const defaultLine = /^Default:.*$/m.exec(text)?.[0]?.trim() ?? null;
  const policy = (dir: string) => new RegExp(`(\\w+) \\(${dir}\\)`).exec(defaultLine ?? '')?.[1] ?? (dir === 'incoming' ? 'deny' : 'allow');
  const rules: UfwRow[] = [];
  let inTable = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^--\s+-+\s+-+/.test(line)) inTable = true;
    else if (inTable && line) {
      const cols = line.split(/\s{2,}/);
      if (cols.length < 3) return `ufw status row "${line.slice(0, 100)}" has fewer than three columns`;
      rules.push({
        to: cols[0] as string,
        action: cols[1] as string,
        from: cols
          .slice(2)
          .join('  ')
          .replace(/\s+#.*$/, ''),
        line,
      });
      if (rules.length > MAX_ROWS) return `ufw status has more than ${MAX_ROWS} rules`;
    }
  }
  return { active: status === 'active', defaultLine, incoming: policy('incoming'), outgoing: policy('outgoing'), rules };
}

/** Application profiles from /etc/ufw/applications.d: name -> `ports/proto` items (`|` separated in the file). */
export function parseUfwApps(text: string | undefined): Map<string, string[]> {
  const apps = new Map<string, string[]>();
  let name: string | null = null;
  for (const raw of (text ?? '').split('\n').slice(0, 20_000)) {
    const line = raw.trim();
    const head = /^\[(.{1,64})\]$/.exec(line);
    if (head) name = head[1] as string;
    const ports = /^ports\s*=\s*(.+)$/.exec(line);
    if (name && ports)
      apps.set(
        name,
        (ports[1] as string).split('|').map((s) => s.trim()),
      );
  }
  return apps;
}

/** Whether a ufw port spec (`51820/udp`, `80,443/tcp`, `60000:61000`, no protocol meaning both) holds the packet's port. */
export function ufwPortHas(spec: string, p: Packet): boolean {
  const [ports = '', proto] = spec.split('/');
  return (!proto || proto === p.protocol) && portListHas(ports, p.port);
}

const ADDRESS = /^(Anywhere|[0-9a-fA-F.:]+(\/\d{1,3})?)$/;

/** Whether one column (`Anywhere`, `51820/udp`, `10.0.0.0/8 22/tcp`, an app name, with `(v6)` or `on eth0`) matches its side of the packet. */
function sideMatch(col: string, side: 'peer' | 'host', portSide: boolean, p: Packet, apps: Map<string, string[]>): Tri {
  let spec = col.replace(/\s*\(v6\)/, '');
  const iface = /\s+on\s+(\S+)$/.exec(spec);
  spec = spec.replace(/\s+on\s+\S+$/, '').trim();
  const [first = '', ...rest] = spec.split(' ');
  let addr: Tri = true;
  let port = spec;
  const looksLikePorts = /^[\d,:]+$/.test(first);
  if (ADDRESS.test(first) && (!looksLikePorts || rest.length > 0)) {
    addr = first === 'Anywhere' ? true : addressMatch(first, side, p);
    port = rest.join(' ');
  }
  if (addr === false) return false;
  let hit: Tri = true;
  if (port) {
    const app = apps.get(port);
    const direct = /^[\d,:]+(\/(tcp|udp))?$/.test(port);
    if (!portSide) hit = `the source port may be ${port}`;
    else if (direct) hit = ufwPortHas(port, p);
    else if (app) hit = app.some((s) => ufwPortHas(s, p));
    else hit = `application profile "${port}" is not read`;
  }
  if (hit === false) return false;
  if (iface && p.iface && iface[1] !== p.iface) return false;
  if (iface && !p.iface) hit = hit === true ? `whether the packet crosses ${iface[1]}` : hit;
  return typeof addr === 'string' ? addr : hit;
}

/** Whether a status row applies to the packet (its direction and family), and if so whether it matches. */
export function rowMatch(row: UfwRow, p: Packet, apps: Map<string, string[]>): Tri {
  const dir = /\bOUT\b/.test(row.action) ? 'outbound' : /\bFWD\b/.test(row.action) ? 'forward' : 'inbound';
  if (dir !== p.direction) return false;
  if (/\(v6\)/.test(row.to + row.from) !== (p.family === 'ipv6')) return false;
  const inbound = p.direction === 'inbound';
  const to = sideMatch(row.to, inbound ? 'host' : 'peer', true, p, apps);
  if (to === false) return false;
  const from = sideMatch(row.from, inbound ? 'peer' : 'host', false, p, apps);
  if (from === false) return false;
  return typeof to === 'string' ? to : from;
}
