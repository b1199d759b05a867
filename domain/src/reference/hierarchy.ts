/**
 * The administrative hierarchy a deployment serves: country, region, department or prefecture,
 * commune, quartier or village, named as each country names them (Cameroon: région, département;
 * Togo: région, préfecture; DR Congo: province, territoire). Staff are scoped to a node and see its
 * subtree; a grievance not answered in time goes up to the parent node.
 */
export interface AdminNode {
  readonly id: string;
  /** One of the hierarchy's levels, strictly below its parent's. */
  readonly level: string;
  readonly parentId: string | null;
  readonly name: string;
}

export interface AdminHierarchySpec {
  /** The levels from the top down, e.g. ['country', 'region', 'department', 'commune', 'quartier']. */
  readonly levels: readonly string[];
  readonly nodes: readonly AdminNode[];
}

/** What is wrong with a hierarchy (none: an empty list), each problem naming its node. */
export function hierarchyProblems(spec: AdminHierarchySpec): string[] {
  const problems: string[] = [];
  if (spec.levels.length === 0) problems.push('A hierarchy needs at least one level.');
  if (new Set(spec.levels).size !== spec.levels.length) problems.push(`The levels repeat one (${spec.levels.join(', ')}).`);
  const byId = new Map<string, AdminNode>();
  for (const node of spec.nodes) {
    if (byId.has(node.id)) problems.push(`Node ${node.id} is defined twice.`);
    byId.set(node.id, node);
  }
  for (const node of spec.nodes) {
    const depth = spec.levels.indexOf(node.level);
    if (depth < 0) problems.push(`Node ${node.id} has the level "${node.level}", not one of ${spec.levels.join(', ')}.`);
    if (node.parentId === null) continue;
    const parent = byId.get(node.parentId);
    if (!parent) {
      problems.push(`Node ${node.id} names a parent ${node.parentId} that does not exist.`);
      continue;
    }
    if (depth >= 0 && spec.levels.indexOf(parent.level) >= depth) problems.push(`Node ${node.id} (${node.level}) is not below its parent ${parent.id} (${parent.level}).`);
  }
  return problems;
}

/** A checked hierarchy, for scoping staff to subtrees and escalating to parents. */
export class AdminHierarchy {
  private readonly byId: ReadonlyMap<string, AdminNode>;
  private readonly children = new Map<string, AdminNode[]>();

  constructor(readonly spec: AdminHierarchySpec) {
    const problems = hierarchyProblems(spec);
    if (problems.length > 0) throw new Error(`Hierarchy refused:\n  ${problems.join('\n  ')}`);
    this.byId = new Map(spec.nodes.map((n) => [n.id, n]));
    for (const node of spec.nodes) {
      if (node.parentId !== null) this.children.set(node.parentId, [...(this.children.get(node.parentId) ?? []), node]);
    }
  }

  node(id: string): AdminNode | undefined {
    return this.byId.get(id);
  }

  /** The node above, where an unanswered case escalates; null at the top. */
  parentOf(id: string): AdminNode | null {
    const parentId = this.require(id).parentId;
    return parentId === null ? null : this.byId.get(parentId)!;
  }

  /** The node and every node above it, nearest first. */
  lineage(id: string): AdminNode[] {
    const nodes: AdminNode[] = [];
    for (let node: AdminNode | null = this.require(id); node; node = node.parentId === null ? null : this.byId.get(node.parentId)!) nodes.push(node);
    return nodes;
  }

  /** Whether `id` is `scopeId` or lies below it: what a staff member scoped to `scopeId` may see. */
  isWithin(id: string, scopeId: string): boolean {
    return this.lineage(id).some((n) => n.id === scopeId);
  }

  /** Every node id of the subtree under `id`, itself included (what row-level security lets its staff read). */
  subtree(id: string): string[] {
    const ids: string[] = [];
    const visit = (node: AdminNode) => {
      ids.push(node.id);
      for (const child of this.children.get(node.id) ?? []) visit(child);
    };
    visit(this.require(id));
    return ids;
  }

  private require(id: string): AdminNode {
    const node = this.byId.get(id);
    if (!node) throw new Error(`No node ${id} in the hierarchy.`);
    return node;
  }
}
