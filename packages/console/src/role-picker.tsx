import type { operations } from '@orgplane/client';

export type Role = operations['organizationRolesGetList']['responses'][200]['content']['application/json']['result'][number];
export type AssignedRole = { roleId: string; roleName: string; roleType: string };

/**
 * Whether an assigned role is the Admin system role: the one the API refuses to take from the
 * organization's last member holding it (no custom role may take a system role's name).
 */
export function isAdmin(role: AssignedRole): boolean {
  return role.roleType === 'system' && role.roleName === 'Admin';
}

/** Checkboxes of the organization's roles, system and custom, as the API's assignedRoleIds takes them. */
export function RolePicker({ legend, roles, selected, disabled, title, onChange }: { legend: string; roles: Role[]; selected: string[]; disabled?: boolean; title?: string; onChange(ids: string[]): void }) {
  return (
    <fieldset class="role-picker" disabled={disabled} title={title}>
      <legend>{legend}</legend>
      {roles.map((role) => (
        <label class="switch" key={role.id}>
          <input
            type="checkbox"
            checked={selected.includes(role.id)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...selected, role.id] : selected.filter((id) => id !== role.id))}
          />
          {role.name} <span class="hint">({role.type})</span>
        </label>
      ))}
    </fieldset>
  );
}

/** A holder's roles as a list of names. */
export function roleNames(assigned: AssignedRole[]): string {
  return assigned.map((role) => role.roleName).join(', ') || 'none';
}
