import type { Permission } from '../../vocabulary/permissions.js';

/** A role's policy as stored and evaluated (the vendor's RBACPolicy without its IDs). */
export interface PolicyRule {
  allowDeny: 'ALLOW' | 'DENY';
  permissions: Permission[];
  /** Resource IDs: `*`, `organization/*`, `organization/<id>`, `instance/*`, `instance/<id>`. */
  resources: string[];
}

/** Whether resource pattern `pattern` includes every resource `target` names (`*` and `kind/*` are wildcards). */
export function covers(pattern: string, target: string): boolean {
  if (pattern === '*' || pattern === target) return true;
  return pattern.endsWith('/*') && target.startsWith(pattern.slice(0, -1));
}

const overlaps = (a: string, b: string): boolean => covers(a, b) || covers(b, a);

/**
 * What a set of policies grants on one resource: the union of the ALLOW
 * policies that cover it, less every permission a covering DENY names (DENY
 * wins, whatever the order).
 */
export function permissionsOn(policies: readonly PolicyRule[], resource: string): Set<Permission> {
  const allowed = new Set<Permission>();
  const denied = new Set<Permission>();
  for (const policy of policies) {
    if (!policy.resources.some((r) => covers(r, resource))) continue;
    for (const p of policy.permissions) (policy.allowDeny === 'ALLOW' ? allowed : denied).add(p);
  }
  for (const p of denied) allowed.delete(p);
  return allowed;
}

/**
 * The escalation rule: the first permission (with its resource) that `wanted`
 * allows and `holder` does not hold there, or undefined when `holder` holds
 * all of it. Holding means an ALLOW of that permission on a resource that
 * covers it and no DENY of it on any resource that overlaps it. DENY policies
 * in `wanted` take nothing away from anyone, so they never escalate.
 */
export function firstUngranted(holder: readonly PolicyRule[], wanted: readonly PolicyRule[]): { permission: Permission; resource: string } | undefined {
  for (const policy of wanted) {
    if (policy.allowDeny !== 'ALLOW') continue;
    for (const permission of policy.permissions) {
      for (const resource of policy.resources) {
        const allowed = holder.some((h) => h.allowDeny === 'ALLOW' && h.permissions.includes(permission) && h.resources.some((r) => covers(r, resource)));
        const denied = holder.some((h) => h.allowDeny === 'DENY' && h.permissions.includes(permission) && h.resources.some((r) => overlaps(r, resource)));
        if (!allowed || denied) return { permission, resource };
      }
    }
  }
  return undefined;
}

/**
 * What a set of policies holds, as ALLOW rules: each permission on each
 * resource an ALLOW names, unless an overlapping DENY takes it away (what
 * firstUngranted counts as held); then on the narrower resources it still
 * covers (`organization/*`, `instance/*`, those the policies name and
 * `named`), so that a DENY on instances leaves what it holds on its
 * organization counted.
 */
export function heldRules(policies: readonly PolicyRule[], named: readonly string[] = []): PolicyRule[] {
  const candidates = [...new Set(['organization/*', 'instance/*', ...named, ...policies.flatMap((p) => p.resources)])];
  const holds = (permission: Permission, resource: string): boolean => !firstUngranted(policies, [{ allowDeny: 'ALLOW', permissions: [permission], resources: [resource] }]);
  const held: PolicyRule[] = [];
  for (const policy of policies) {
    if (policy.allowDeny !== 'ALLOW') continue;
    for (const permission of policy.permissions) {
      for (const resource of policy.resources) {
        const narrower = holds(permission, resource) ? [resource] : candidates.filter((c) => c !== resource && covers(resource, c) && holds(permission, c));
        if (narrower.length > 0) held.push({ allowDeny: 'ALLOW', permissions: [permission], resources: narrower });
      }
    }
  }
  return held;
}
