// SMaRtCoin's encodings (docs/coin.md), read only to describe entries and results to people. Verification never
// depends on this file: a receipt proves bytes, whatever they mean.
import { Reader, toHex } from './canonical.js';

const codes = ['Ok', 'Malformed', 'BadSignature', 'NotMinter', 'UnknownCoin', 'NotOwner', 'DuplicateInput',
  'ValueMismatch', 'Overflow', 'EmptyOutputs', 'TooManyInputs', 'TooManyOutputs', 'Replayed', 'ZeroValue'];

/** "MINT 2 outputs (1000)", "SPEND 2 → 2 (300)", a system operation, or the size of an unknown operation. */
export function describeOperation(operation) {
  try {
    const r = new Reader(operation);
    const kind = r.u8();
    if (kind === 0xff) return `system operation ${['', 'JOIN', 'RECONFIGURE', 'LEAVE', 'EXCLUDE'][r.u8()] ?? 'unknown'}`;
    if (kind !== 1 && kind !== 2) return `${operation.length} bytes`;
    let inputs = 0;
    if (kind === 2) { inputs = r.count(64, 32); r.fixed(32 * inputs); }
    const n = r.count(64, 40);
    let total = 0n;
    const owners = [];
    for (let i = 0; i < n; i++) { owners.push(toHex(r.fixed(32))); total += r.u64(); }
    r.ensureEnd();
    return kind === 1 ? `MINT ${n} output${n === 1 ? '' : 's'}, ${total}` : `SPEND ${inputs} → ${n}, ${total}`;
  } catch {
    return `${operation.length} bytes (not a SMaRtCoin operation)`;
  }
}

/** "Ok, created 2 coins", a refusal code, "empty (a repeated request)", or a system result's kind. */
export function describeResult(result) {
  if (result.length === 0) return 'empty (a repeated request, not executed again)';
  try {
    const r = new Reader(result);
    const code = r.u8();
    if (code === 0) {
      const n = r.count(64, 32);
      r.fixed(32 * n);
      r.ensureEnd();
      return `Ok, created ${n} coin${n === 1 ? '' : 's'}`;
    }
    if (result.length === 1 && codes[code]) return codes[code];
  } catch {
    // not a coin result
  }
  return `${result.length} bytes`;
}
