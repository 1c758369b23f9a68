// The `unit` project starts no Postgres (vitest.config.ts gives it no global set-up): a unit
// file that asks for a database fails at once with a message saying where the file belongs.
// The integration files that call createTestDatabase are the control.
import { expect, it } from 'vitest';
import { createTestDatabase } from './helpers/db.ts';

it('refuses a database in the unit project, naming the project the file belongs in', async () => {
  await expect(createTestDatabase()).rejects.toThrow(/belongs in the `integration` project/);
});
