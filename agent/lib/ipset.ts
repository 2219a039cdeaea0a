import { formatPrefix, ipFromBigInt, ipToBigInt, type IpPrefix } from '../shared/ip.js';

/** An inclusive range of addresses of one family, as integers. */
interface Range {
  lo: bigint;
  hi: bigint;
}

function normalize(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) last.hi = r.hi;
    } else {
      out.push({ lo: r.lo, hi: r.hi });
    }
  }
  return out;
}

function subtractRanges(a: Range[], b: Range[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const r of a) {
    let lo = r.lo;
    while (j < b.length && (b[j] as Range).hi < lo) j += 1;
    let k = j;
    while (k < b.length && (b[k] as Range).lo <= r.hi) {
      const cut = b[k] as Range;
      if (cut.lo > lo) out.push({ lo, hi: cut.lo - 1n });
      lo = cut.hi + 1n;
      if (lo > r.hi) break;
      k += 1;
    }
    if (lo <= r.hi) out.push({ lo, hi: r.hi });
  }
  return out;
}

function intersectRanges(a: Range[], b: Range[]): Range[] {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Range;
    const y = b[j] as Range;
    const lo = x.lo > y.lo ? x.lo : y.lo;
    const hi = x.hi < y.hi ? x.hi : y.hi;
    if (lo <= hi) out.push({ lo, hi });
    if (x.hi < y.hi) i += 1;
    else j += 1;
  }
  return out;
}

function rangeToPrefixes(family: 4 | 6, range: Range): IpPrefix[] {
  const width = family === 4 ? 32 : 128;
  const out: IpPrefix[] = [];
  let lo = range.lo;
  while (lo <= range.hi) {
    let size = 0;
    while (size < width && (lo & ((1n << BigInt(size + 1)) - 1n)) === 0n && lo + (1n << BigInt(size + 1)) - 1n <= range.hi) size += 1;
    out.push({ addr: ipFromBigInt(family, lo), bits: width - size });
    lo += 1n << BigInt(size);
  }
  return out;
}

/** An immutable set of IPv4 and IPv6 addresses, built from prefixes (like Go's netipx.IPSet). */
export class IpSet {
  private constructor(
    private readonly v4: Range[],
    private readonly v6: Range[],
  ) {}

  static readonly empty = new IpSet([], []);

  static of(prefixes: Iterable<IpPrefix>): IpSet {
    const v4: Range[] = [];
    const v6: Range[] = [];
    for (const p of prefixes) {
      const width = p.addr.family === 4 ? 32 : 128;
      const lo = ipToBigInt(p.addr);
      const range = { lo, hi: lo + (1n << BigInt(width - p.bits)) - 1n };
      (p.addr.family === 4 ? v4 : v6).push(range);
    }
    return new IpSet(normalize(v4), normalize(v6));
  }

  union(other: IpSet): IpSet {
    return new IpSet(normalize([...this.v4, ...other.v4]), normalize([...this.v6, ...other.v6]));
  }

  subtract(other: IpSet): IpSet {
    return new IpSet(subtractRanges(this.v4, other.v4), subtractRanges(this.v6, other.v6));
  }

  intersect(other: IpSet): IpSet {
    return new IpSet(intersectRanges(this.v4, other.v4), intersectRanges(this.v6, other.v6));
  }

  isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }

  /** The smallest list of prefixes covering exactly this set, IPv4 first, in address order. */
  prefixes(): IpPrefix[] {
    return [...this.v4.flatMap((r) => rangeToPrefixes(4, r)), ...this.v6.flatMap((r) => rangeToPrefixes(6, r))];
  }

  toStrings(): string[] {
    return this.prefixes().map(formatPrefix);
  }
}
