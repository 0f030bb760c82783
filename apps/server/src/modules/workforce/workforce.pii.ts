import type { RevealableField } from '../../platform/pii';
import { findEmployeeEncrypted } from './workforce.queries';

/** Roster personal data an official with `pii.reveal` may see in full, for a reason, audited (the row scope applies). */
export const workforceRevealableFields: RevealableField[] = [
  { objectType: 'employee', field: 'idNumber', findEncrypted: findEmployeeEncrypted('idNumberEncrypted') },
  { objectType: 'employee', field: 'phone', findEncrypted: findEmployeeEncrypted('phoneEncrypted') },
];
