import { useState } from 'react';

/** Addresses and keys longer than this are shortened in the middle. */
const LONG = 22;

/** A long address or key cut in the middle (`fd7a:…:9c01`, `[2001:db8:…:1]:51820`), short ones as they are. */
export function shortAddress(text: string): string {
  if (text.length <= LONG) return text;
  const v6 = /^(\[?)([0-9a-fA-F:]+)(\]?)(:\d+)?$/.exec(text);
  if (v6?.[2]?.includes('::') || (v6?.[2] && v6[2].split(':').length > 3)) {
    const groups = (v6[2] as string).split(':').filter((g) => g !== '');
    return `${v6[1]}${groups.slice(0, 2).join(':')}:…:${groups.at(-1)}${v6[3]}${v6[4] ?? ''}`;
  }
  return `${text.slice(0, 10)}…${text.slice(-8)}`;
}

/** An address or key: shortened when long (the whole text in its title), with a button that copies it whole. */
export function Address({ text, label }: { text: string | null; label: string }) {
  const [copied, setCopied] = useState(false);
  if (text === null) return <span className="muted">none</span>;
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
    window.setTimeout(() => setCopied(false), 1500);
  };
  return (
    <span className="address">
      <code title={text}>{shortAddress(text)}</code>
      <button type="button" className="copy" onClick={() => void copy()} aria-label={`Copy ${label}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
