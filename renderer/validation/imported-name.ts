/** A valid machine name made from an SSH config alias: lowercase, dashes for the rest, at most 63 characters. */
export function machineNameFromAlias(alias: string): string {
  const cleaned = alias
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
  return cleaned || 'host';
}
