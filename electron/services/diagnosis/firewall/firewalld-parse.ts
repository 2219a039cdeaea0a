/** One block of firewall-cmd output: a zone, policy or service name, its flags, its `key: value` fields and its rich rules. */
export interface FirewalldBlock {
  name: string;
  /** What the header says in parentheses, e.g. `default`, `active`. */
  flags: string[];
  fields: Map<string, string>;
  /** Rich rules exactly as printed. */
  richRules: string[];
}

export type BlocksParse = { ok: true; blocks: FirewalldBlock[] } | { ok: false; reason: string };

const MAX_TEXT = 512 * 1024;
const MAX_BLOCKS = 512;
const MAX_RICH = 4096;
const NAME = /^([A-Za-z0-9_.+-]{1,64})(?:\s+\(([a-z, ]+)\))?\s*$/;

/**
 * Parses the block format firewall-cmd prints for `--list-all-zones`,
 * `--list-all-policies`, `--get-active-zones` and `--info-service`: a name at
 * column 0, then indented `key: value` lines, rich rules indented under `rich rules:`.
 */
export function parseBlocks(text: string, what: string): BlocksParse {
  if (text.length > MAX_TEXT) return { ok: false, reason: `${what} is larger than ${MAX_TEXT} bytes` };
  const blocks: FirewalldBlock[] = [];
  let block: FirewalldBlock | null = null;
  let inRich = false;
  let lastKey = '';
  let rich = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (!line.trim()) continue;
    const at = () => `${what} line ${i + 1} ("${line.trim().slice(0, 100)}")`;
    if (!/^\s/.test(line)) {
      const head = NAME.exec(line);
      if (!head) return { ok: false, reason: `${at()} is not a zone, policy or service name` };
      block = { name: head[1] as string, flags: (head[2] ?? '').split(/,\s*/).filter(Boolean), fields: new Map(), richRules: [] };
      blocks.push(block);
      if (blocks.length > MAX_BLOCKS) return { ok: false, reason: `${what} has more than ${MAX_BLOCKS} blocks` };
      inRich = false;
      continue;
    }
    if (!block) return { ok: false, reason: `${at()} comes before any name` };
    const trimmed = line.trim();
    if (lastKey === 'forward-ports' && trimmed.startsWith('port=')) {
      block.fields.set(lastKey, `${block.fields.get(lastKey) ?? ''} ${trimmed}`.trim());
      continue;
    }
    if (inRich && trimmed.startsWith('rule ')) {
      block.richRules.push(trimmed);
      if ((rich += 1) > MAX_RICH) return { ok: false, reason: `${what} has more than ${MAX_RICH} rich rules` };
      continue;
    }
    const field = /^([a-z][a-z0-9-]*( [a-z]+)?):(?:\s(.*))?$/.exec(trimmed);
    if (!field) return { ok: false, reason: `${at()} is not a "key: value" line` };
    const key = field[1] as string;
    const value = (field[3] ?? '').trim();
    inRich = key === 'rich rules';
    lastKey = key;
    if (inRich && value.startsWith('rule ')) block.richRules.push(value);
    else block.fields.set(key, value);
  }
  return { ok: true, blocks };
}

/** A field's space-separated items. */
export const items = (block: FirewalldBlock, key: string): string[] => (block.fields.get(key) ?? '').split(/\s+/).filter(Boolean);
