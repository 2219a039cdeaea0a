/** Replaces every known secret in a text with `***`: a last guard before anything is logged or shown. */
export function makeScrubber(secrets: Array<string | null | undefined>): (text: string) => string {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => known.reduce((out, secret) => out.split(secret).join('***'), text);
}
