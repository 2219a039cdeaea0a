/**
 * Remembers the last call: the same arguments (by identity) give the same result
 * without running `fn` again, so what the topology derives from the diagnosis is
 * computed once per report, not once per visit to the screen.
 */
export function lastOf<A extends readonly unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; value: R } | null = null;
  return (...args: A) => {
    if (last && last.args.length === args.length && last.args.every((a, i) => a === args[i])) return last.value;
    last = { args, value: fn(...args) };
    return last.value;
  };
}
