import { z } from 'zod';

/** Bounds on `nft -j list ruleset` output read from a host. */
export const NFT_LIMITS = { bytes: 4 * 1024 * 1024, depth: 24, objects: 20_000, rules: 10_000, elements: 100_000 } as const;

/** An expression or statement of a rule, as libnftables-json(5) writes it (kept as JSON, read by the evaluator). */
export type NftExpr = unknown;

/** A chain of a table; base chains have a hook, a priority and a policy. */
export interface NftChain {
  family: string;
  table: string;
  name: string;
  handle: number;
  hook: string | null;
  prio: number;
  policy: 'accept' | 'drop';
  /** Devices of a netdev (or inet ingress) chain. */
  devices: string[];
  /** Whether its table is dormant (sees no packets); null when its flags do not say (nft 1.0.6 prints the table's name as its flags). */
  dormant: boolean | null;
  rules: NftRule[];
}

/** One rule: its statements in order, and the handle that addresses it. */
export interface NftRule {
  family: string;
  table: string;
  chain: string;
  handle: number;
  comment: string | null;
  expr: NftExpr[];
}

/** A named set or map; `elem` as nft writes it (maps: [key, value] pairs). */
export interface NftSet {
  family: string;
  table: string;
  name: string;
  isMap: boolean;
  elem: NftExpr[];
}

/** A ruleset read as data. */
export interface NftRuleset {
  chains: NftChain[];
  sets: NftSet[];
}

const name = z.string().min(1).max(256);
const TABLE_FLAGS = new Set(['dormant', 'owner', 'persist']);
const family = z.enum(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
const handle = z.number().int().nonnegative();
const chainSchema = z.object({
  family,
  table: name,
  name,
  handle,
  hook: z.string().max(32).optional(),
  prio: z.number().int().optional(),
  policy: z.enum(['accept', 'drop']).optional(),
  dev: z.union([name, z.array(name).max(256)]).optional(),
});
const ruleSchema = z.object({ family, table: name, chain: name, handle, comment: z.string().max(1024).optional(), expr: z.array(z.unknown()).max(256) });
const tableSchema = z.object({ family, name, flags: z.union([z.string().max(256), z.array(z.string().max(64)).max(16)]).optional() });
const setSchema = z.object({ family, table: name, name, elem: z.array(z.unknown()).optional() });
const rootSchema = z.object({ nftables: z.array(z.record(z.string(), z.unknown())).max(NFT_LIMITS.objects) });

function depthOf(value: unknown, limit: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  let max = 0;
  for (const v of Object.values(value)) {
    max = Math.max(max, 1 + depthOf(v, limit));
    if (max > limit) return max;
  }
  return max;
}

const issue = (e: z.ZodError) => {
  const first = e.issues[0];
  return first ? `${first.path.join('.') || 'the ruleset'}: ${first.message}` : 'invalid';
};

/** Reads `nft -j list ruleset` output, validated and bounded; an error names what is wrong. */
export function parseNftJson(text: string): { ok: true; ruleset: NftRuleset } | { ok: false; reason: string } {
  if (text.length > NFT_LIMITS.bytes) return { ok: false, reason: `nft -j output is larger than ${NFT_LIMITS.bytes} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const first = text.trim().split('\n')[0]?.slice(0, 160) ?? '';
    return { ok: false, reason: `nft -j list ruleset did not print JSON (nft too old or built without JSON?): "${first}"` };
  }
  if (depthOf(json, NFT_LIMITS.depth) > NFT_LIMITS.depth) return { ok: false, reason: `nft -j output nests deeper than ${NFT_LIMITS.depth} levels` };
  const root = rootSchema.safeParse(json);
  if (!root.success) return { ok: false, reason: `nft -j output is not a ruleset: ${issue(root.error)}` };
  const ruleset: NftRuleset = { chains: [], sets: [] };
  const rules: NftRule[] = [];
  let elements = 0;
  const dormant = new Map<string, boolean | null>();
  for (const [i, item] of root.data.nftables.entries()) {
    const [kind, body] = Object.entries(item)[0] ?? [];
    const at = (e: z.ZodError) => ({ ok: false as const, reason: `nft -j output, object ${i} (${kind}): ${issue(e)}` });
    if (kind === 'table') {
      const t = tableSchema.safeParse(body);
      if (!t.success) return at(t.error);
      const flags = t.data.flags === undefined ? [] : typeof t.data.flags === 'string' ? [t.data.flags] : t.data.flags;
      const known = flags.every((f) => TABLE_FLAGS.has(f));
      dormant.set(`${t.data.family}\0${t.data.name}`, known ? flags.includes('dormant') : null);
    } else if (kind === 'chain') {
      const c = chainSchema.safeParse(body);
      if (!c.success) return at(c.error);
      const { dev, hook, prio, policy, ...rest } = c.data;
      const devices = dev === undefined ? [] : typeof dev === 'string' ? [dev] : dev;
      const table = `${rest.family}\0${rest.table}`;
      const off = dormant.has(table) ? (dormant.get(table) as boolean | null) : false;
      ruleset.chains.push({ ...rest, hook: hook ?? null, prio: prio ?? 0, policy: policy ?? 'accept', devices, dormant: off, rules: [] });
    } else if (kind === 'rule') {
      const r = ruleSchema.safeParse(body);
      if (!r.success) return at(r.error);
      rules.push({ ...r.data, comment: r.data.comment ?? null });
    } else if (kind === 'set' || kind === 'map') {
      const s = setSchema.safeParse(body);
      if (!s.success) return at(s.error);
      elements += s.data.elem?.length ?? 0;
      ruleset.sets.push({ family: s.data.family, table: s.data.table, name: s.data.name, isMap: kind === 'map', elem: s.data.elem ?? [] });
    }
  }
  if (rules.length > NFT_LIMITS.rules) return { ok: false, reason: `nft -j output holds more than ${NFT_LIMITS.rules} rules` };
  if (elements > NFT_LIMITS.elements) return { ok: false, reason: `nft -j output holds more than ${NFT_LIMITS.elements} set elements` };
  const byKey = new Map(ruleset.chains.map((c) => [`${c.family}\0${c.table}\0${c.name}`, c]));
  for (const r of rules) byKey.get(`${r.family}\0${r.table}\0${r.chain}`)?.rules.push(r);
  return { ok: true, ruleset };
}
