import type { Kysely } from 'kysely';

// Frozen once released. Role-based access: custom roles, role assignments,
// members and invitations. Existing keys keep exactly the access their
// deprecated `roles` gave them: each becomes an assignment of the system role
// carrying it, whose ID is derived from the organization's ID the way
// system-roles.ts derives it (repeated here so this file never changes).
const NAMESPACE = '6f0c1b0e-7a55-4d3c-9a57-3f4e0f7b9d21';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('policies', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('roles_organization_idx').on('roles').columns(['organization_id', 'created_at']).execute();

  await db.schema
    .createTable('role_assignments')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_assignments_pk', ['organization_id', 'role_id', 'actor'])
    .execute();
  // Key verification and every actor's roles: by actor.
  await db.schema.createIndex('role_assignments_actor_idx').on('role_assignments').columns(['actor']).execute();

  await db.schema
    .createTable('members')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('members_pk', ['organization_id', 'user_id'])
    .execute();
  await db.schema.createIndex('members_email_idx').on('members').columns(['organization_id', 'email']).unique().execute();
  // A person keeps one userId across organizations: found by email.
  await db.schema.createIndex('members_any_email_idx').on('members').columns(['email']).execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expire_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invitations_organization_idx').on('invitations').columns(['organization_id', 'email']).execute();

  const keys = (await db.selectFrom('api_keys').select(['id', 'organization_id', 'roles']).execute()) as { id: string; organization_id: string; roles: string }[];
  if (keys.length > 0) {
    const { v5 } = await import('uuid');
    const rows = keys.flatMap((k) =>
      (JSON.parse(k.roles) as string[]).map((code) => ({ organization_id: k.organization_id, role_id: v5(`${k.organization_id}/${code}`, NAMESPACE), actor: `apiKey/${k.id}` })),
    );
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('role_assignments').values(rows.slice(i, i + 500)).execute();
  }
  await db.schema.alterTable('api_keys').dropColumn('roles').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('roles', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  for (const table of ['invitations', 'members', 'role_assignments', 'roles']) await db.schema.dropTable(table).execute();
}
