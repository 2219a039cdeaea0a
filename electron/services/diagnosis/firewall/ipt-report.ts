/**
 * Host-report lines that print iptables' rules: the version (it names the
 * backend, `(nf_tables)` or `(legacy)`), `iptables-save` and `ip6tables-save`
 * of that backend, the ipsets rules may match, and the other backend's rules
 * where its tools exist.
 */
export const iptablesReportLines = [
  "command -v iptables >/dev/null 2>&1 && { echo '### iptables-version'; iptables -V 2>&1 | head -c 200; echo; }",
  "command -v iptables-save >/dev/null 2>&1 && { echo '### iptables-save'; iptables-save 2>/dev/null; }",
  "command -v ip6tables-save >/dev/null 2>&1 && { echo '### ip6tables-save'; ip6tables-save 2>/dev/null; }",
  "command -v ipset >/dev/null 2>&1 && { echo '### ipset'; ipset save 2>/dev/null | head -n 100000; }",
  'case "$(iptables -V 2>/dev/null)" in *nf_tables*) other=legacy;; *legacy*) other=nft;; *) other=;; esac',
  'if [ -n "$other" ] && command -v "iptables-$other-save" >/dev/null 2>&1; then',
  '  echo "### iptables-$other-save"; "iptables-$other-save" 2>/dev/null',
  '  command -v "ip6tables-$other-save" >/dev/null 2>&1 && { echo "### ip6tables-$other-save"; "ip6tables-$other-save" 2>/dev/null; }',
  'fi',
];

/** Host-report section names and the FirewallOutputs field each fills. */
export const iptablesReportSections = [
  ['iptables-version', 'iptablesVersion'],
  ['iptables-save', 'iptablesSave'],
  ['ip6tables-save', 'ip6tablesSave'],
  ['ipset', 'ipsetSave'],
  ['iptables-legacy-save', 'iptablesOtherSave'],
  ['ip6tables-legacy-save', 'ip6tablesOtherSave'],
  ['iptables-nft-save', 'iptablesOtherSave'],
  ['ip6tables-nft-save', 'ip6tablesOtherSave'],
] as const;
