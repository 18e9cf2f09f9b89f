import { InitialSchema1764790000000 } from './1764790000000-initial-schema';
import { KeysAndSpend1764800000000 } from './1764800000000-keys-and-spend';
import { AccountsAndAudit1764810000000 } from './1764810000000-accounts-and-audit';

/**
 * Every migration, oldest first. Listed by hand because globs built from `__dirname`
 * break under ESM and jest.
 */
export const MIGRATIONS = [
  InitialSchema1764790000000,
  KeysAndSpend1764800000000,
  AccountsAndAudit1764810000000,
];
