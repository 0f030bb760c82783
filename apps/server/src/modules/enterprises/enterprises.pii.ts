import type { RevealableField } from '../../platform/pii';
import { findLiaisonPhoneEncrypted } from './enterprises.queries';

/** Personal data of this module an official with `pii.reveal` may see in full, for a reason, audited. */
export const enterpriseRevealableFields: RevealableField[] = [
  { objectType: 'enterprise_liaison', field: 'phone', findEncrypted: findLiaisonPhoneEncrypted },
];
