// signal fingerprint: os.signals, the signals a task's kill_signal / change_signal may name.
import type { FingerprintResult } from './fingerprint.js';

export function fingerprintSignals(signals: Record<string, number>): FingerprintResult {
  return { attributes: { 'os.signals': Object.keys(signals).filter((s) => s.startsWith('SIG')).sort().join(',') } };
}
