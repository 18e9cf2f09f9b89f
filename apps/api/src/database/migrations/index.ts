import { InitialSchema1764790000000 } from './1764790000000-initial-schema';

/**
 * Every migration, oldest first. Listed by hand because globs built from `__dirname`
 * break under ESM and jest.
 */
export const MIGRATIONS = [InitialSchema1764790000000];
