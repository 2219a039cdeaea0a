/** One `-A CHAIN ...` line of `iptables-save` (or `-I CHAIN ...` of a restore file). */
export interface IptRule {
  /** The line exactly as the tool printed it (counters included). */
  line: string;
  /** The words after `-A CHAIN` (`-I CHAIN [position]`), unquoted. */
  args: string[];
  /** 1-based line number in the output. */
  lineNo: number;
}

/** A chain: built-in chains carry a policy and its declaration line; user chains have policy null. */
export interface IptChain {
  name: string;
  policy: string | null;
  /** The `:CHAIN POLICY [packets:bytes]` line as printed. */
  declaration: string;
  rules: IptRule[];
}

/** One `*table` block. */
export interface IptTable {
  name: string;
  chains: Map<string, IptChain>;
}

/** `iptables-save` (or `ip6tables-save`, or ufw's user.rules) read as data. */
export interface IptRuleset {
  tables: Map<string, IptTable>;
  /** `# Warning: ...` lines (iptables-nft says so when legacy tables hold rules too). */
  warnings: string[];
}

export type IptParse = { ok: true; ruleset: IptRuleset } | { ok: false; reason: string };

const MAX_TEXT = 1024 * 1024;
const MAX_RULES = 50_000;
const TABLES = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);
const NAME = /^[^\s"'!]{1,64}$/;

/** Splits a rule line into words the way iptables-restore does: double quotes group, `\"` escapes. */
export function words(text: string): string[] {
  return [...text.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3] ?? '')));
}

const clip = (line: string) => (line.length > 120 ? `${line.slice(0, 120)}…` : line);

/** Parses iptables-save output; anything that is not its format is refused with the line that broke it. */
export function parseIptablesSave(text: string): IptParse {
  if (text.length > MAX_TEXT) return { ok: false, reason: `the ruleset is larger than ${MAX_TEXT} bytes` };
  const tables = new Map<string, IptTable>();
  const warnings: string[] = [];
  let table: IptTable | null = null;
  let count = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] as string).replace(/\r$/, '');
    const trimmed = line.trim();
    const at = `line ${i + 1} ("${clip(trimmed)}")`;
    if (!trimmed) continue;
    if (trimmed.startsWith('#')) {
      if (/^#\s*Warning:/i.test(trimmed)) warnings.push(trimmed);
      continue;
    }
    if (trimmed.startsWith('*')) {
      const name = trimmed.slice(1);
      if (!TABLES.has(name)) return { ok: false, reason: `${at} names an unknown table` };
      table = tables.get(name) ?? { name, chains: new Map() };
      tables.set(name, table);
      continue;
    }
    if (trimmed === 'COMMIT') {
      table = null;
      continue;
    }
    if (!table) return { ok: false, reason: `${at} is outside a *table ... COMMIT block` };
    const decl = /^:(\S+)\s+(\S+)(?:\s+\[\d+:\d+\])?$/.exec(trimmed);
    if (decl) {
      const [, name = '', policy = ''] = decl;
      if (!NAME.test(name) || !/^(ACCEPT|DROP|-)$/.test(policy)) return { ok: false, reason: `${at} is not a chain declaration` };
      table.chains.set(name, { name, policy: policy === '-' ? null : policy, declaration: trimmed, rules: [] });
      continue;
    }
    // iptables-save prints -A only; restore files such as ufw's user.rules may also insert with -I [position].
    const rule = /^(?:\[\d+:\d+\]\s+)?-([AI])\s+(\S+)(?:\s+(\d+)(?=\s|$))?(?:\s+(.*))?$/.exec(trimmed);
    if (!rule) return { ok: false, reason: `${at} is not iptables-save output` };
    const chain = table.chains.get(rule[2] as string);
    if (!chain) return { ok: false, reason: `${at} adds to chain ${rule[2]}, which is not declared` };
    count += 1;
    if (count > MAX_RULES) return { ok: false, reason: `the ruleset has more than ${MAX_RULES} rules` };
    const parsed = { line: trimmed, args: words(rule[4] ?? ''), lineNo: i + 1 };
    if (rule[1] === 'A') chain.rules.push(parsed);
    else chain.rules.splice(Math.max(0, Number(rule[3] ?? '1') - 1), 0, parsed);
  }
  return { ok: true, ruleset: { tables, warnings } };
}
