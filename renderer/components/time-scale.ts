/** The time axis of a history chart: sample times and their x position between `left` and `right`. */
export function timeScale(samples: readonly { at: string }[], left: number, right: number) {
  const times = samples.map((s) => Date.parse(s.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  return { times, t0, t1, x: (t: number) => left + ((t - t0) / (t1 - t0)) * (right - left) };
}
