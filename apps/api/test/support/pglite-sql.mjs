// Runs one SQL statement against a PGlite data folder and prints the rows as JSON.
// The end-to-end tests use it while the app that owns the folder is stopped.
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';

const [dataDir, sql, params] = process.argv.slice(2);
const db = await PGlite.create(dataDir, { extensions: { pgcrypto } });
try {
  const result = await db.query(sql, JSON.parse(params ?? '[]'));
  process.stdout.write(JSON.stringify(result.rows));
} finally {
  await db.close();
}
