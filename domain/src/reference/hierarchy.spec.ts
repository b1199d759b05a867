import { describe, expect, it } from 'vitest';
import { AdminHierarchy, type AdminNode, hierarchyProblems } from './hierarchy.js';

const node = (id: string, level: string, parentId: string | null): AdminNode => ({ id, level, parentId, name: id });
const cameroon = {
  levels: ['country', 'region', 'department', 'commune', 'quartier'],
  nodes: [
    node('cm', 'country', null),
    node('cm-centre', 'region', 'cm'),
    node('cm-ouest', 'region', 'cm'),
    node('mefou-et-afamba', 'department', 'cm-centre'),
    node('menoua', 'department', 'cm-ouest'),
    node('soa', 'commune', 'mefou-et-afamba'),
    node('dschang', 'commune', 'menoua'),
    node('soa-ebogo', 'quartier', 'soa'),
    node('dschang-foto', 'quartier', 'dschang'),
  ],
};

describe('the administrative hierarchy', () => {
  const h = new AdminHierarchy(cameroon);

  it('scopes a node to its subtree: a department sees its communes and their quartiers, not its neighbour’s', () => {
    expect(h.subtree('menoua')).toEqual(['menoua', 'dschang', 'dschang-foto']);
    expect(h.isWithin('dschang-foto', 'cm-ouest')).toBe(true);
    expect(h.isWithin('soa-ebogo', 'cm-ouest')).toBe(false);
    expect(h.isWithin('cm', 'cm')).toBe(true);
  });

  it('escalates to the parent, level by level, and nowhere from the top', () => {
    expect(h.parentOf('dschang')?.id).toBe('menoua');
    expect(h.lineage('dschang-foto').map((n) => n.level)).toEqual(['quartier', 'commune', 'department', 'region', 'country']);
    expect(h.parentOf('cm')).toBeNull();
    expect(() => h.parentOf('nowhere')).toThrow(/No node nowhere/);
  });

  it('is configured per country, with its own level names (Togo’s prefectures, DR Congo’s territories)', () => {
    const togo = new AdminHierarchy({
      levels: ['country', 'region', 'prefecture', 'commune', 'village'],
      nodes: [node('tg', 'country', null), node('tg-savanes', 'region', 'tg'), node('tone', 'prefecture', 'tg-savanes'), node('dapaong', 'commune', 'tone'), node('nanergou', 'village', 'dapaong')],
    });
    expect(togo.lineage('nanergou').map((n) => n.id)).toEqual(['nanergou', 'dapaong', 'tone', 'tg-savanes', 'tg']);
  });

  it('refuses a hierarchy that makes no sense, naming each problem', () => {
    expect(
      hierarchyProblems({
        levels: ['country', 'region', 'commune'],
        nodes: [node('cm', 'country', null), node('cm', 'country', null), node('x', 'region', 'nowhere'), node('y', 'district', 'cm'), node('z', 'country', 'cm')],
      }),
    ).toEqual([
      'Node cm is defined twice.',
      'Node x names a parent nowhere that does not exist.',
      'Node y has the level "district", not one of country, region, commune.',
      'Node z (country) is not below its parent cm (country).',
    ]);
    expect(() => new AdminHierarchy({ levels: [], nodes: [] })).toThrow(/at least one level/);
    expect(hierarchyProblems(cameroon)).toEqual([]);
  });
});
