import { describe, expect, it } from 'vitest';
import type { CommandMeta } from '../shared/command.js';
import { historyThrough, scenariosOf } from '../testing/scenario.js';
import { parseProjectCommand, type ProjectCommand } from './commands.js';
import { projectDecider } from './decider.js';
import { defaultProgramme } from './events.js';

const projectId = 'J-1';
const staff = (m: Partial<CommandMeta> = {}): CommandMeta => ({ commandId: 'cmd-1', now: '2027-03-01T09:00:00.000Z', actor: { id: 'dispatcher-dschang', role: 'dispatcher' }, communeId: 'dschang', ...m });
const agent: Partial<CommandMeta> = { actor: { id: 'agent-dschang', role: 'field_agent' } };

const create = (m: Partial<CommandMeta> = {}) =>
  parseProjectCommand('CreateProject', { projectId, communeId: 'dschang', title: 'Passerelle de Foto', description: null, proposalIds: ['P-1'], programme: defaultProgramme, currency: 'XAF' }, staff(m));
const enter = (stage: string, m: Partial<CommandMeta> = {}) => parseProjectCommand('EnterStage', { projectId, stage }, staff(m));
const milestone = (data: object = {}, m: Partial<CommandMeta> = {}) =>
  parseProjectCommand('RecordMilestone', { projectId, milestoneId: 'M-1', title: 'Fondations coulées', note: null, reachedOn: '2027-02-28', evidence: [{ mediaId: 'photo-1', point: { lat: 5.447, lon: 10.07 } }], ...data }, staff(m));
const budget = (planned: number, committed: number, spent: number, reason: string | null = null) => parseProjectCommand('ReportBudget', { projectId, planned, committed, spent, reason }, staff());
const suspend = () => parseProjectCommand('SuspendProject', { projectId, reason: 'Saison des pluies : chantier inaccessible' }, staff());
const resume = () => parseProjectCommand('ResumeProject', { projectId }, staff());
const complete = () => parseProjectCommand('CompleteProject', { projectId }, staff());

const given = scenariosOf(projectDecider);
const history = (...commands: ProjectCommand[]) => historyThrough(projectDecider, commands);

describe('a project', () => {
  it('is created by commune staff from accepted proposals, in the programme’s currency, and never by a citizen', () => {
    given([]).when(create()).then([expect.objectContaining({ type: 'ProjectCreated', data: expect.objectContaining({ projectId, proposalIds: ['P-1'], currency: 'XAF', createdBy: 'dispatcher-dschang' }) })]);
    given([]).when(create({ actor: { id: 'C-1', role: 'citizen' }, communeId: null })).thenThrows('project.forbidden');
    given([]).when(create({ communeId: 'soa' })).thenThrows('project.forbidden');
    given(history(create())).when(create()).thenThrows('project.already_exists');
  });

  it('goes through the programme’s stages forward, field agents included', () => {
    const built = history(create(), enter('planned'), enter('built', agent));
    expect(given(built).when(enter('handed_over')).thenState().stage).toBe('handed_over');
    given(built).when(enter('planned')).thenThrows('project.stage_backwards');
    given(built).when(enter('built')).then([]);
    given(built).when(enter('demolished')).thenThrows('project.unknown_stage');
  });

  it('records a milestone with the photos’ GPS as evidence, once, and never one still to come', () => {
    const created = history(create());
    given(created)
      .when(milestone({}, agent))
      .then([expect.objectContaining({ type: 'MilestoneReached', data: expect.objectContaining({ evidence: [{ mediaId: 'photo-1', point: { lat: 5.447, lon: 10.07 } }], recordedBy: 'agent-dschang' }) })]);
    given(history(create(), milestone())).when(milestone()).then([]);
    given(created).when(milestone({ milestoneId: 'M-2', reachedOn: '2027-04-01' })).thenThrows('project.milestone_in_future');
  });

  it('reports its budget in whole francs; committed beyond planned or spent beyond committed needs a reason', () => {
    const created = history(create());
    given(created).when(budget(40_000_000, 25_000_000, 10_000_000)).then([expect.objectContaining({ type: 'BudgetReported' })]);
    given(created).when(budget(40_000_000, 25_000_000, 30_000_000)).thenThrows('project.overspent_without_reason');
    given(created).when(budget(40_000_000, 45_000_000, 0)).thenThrows('project.overspent_without_reason');
    given(created).when(budget(40_000_000, 25_000_000, 30_000_000, 'Hausse du prix du ciment')).then([expect.objectContaining({ type: 'BudgetReported', data: expect.objectContaining({ reason: 'Hausse du prix du ciment' }) })]);
    expect(() => budget(40_000_000.5, 0, 0)).toThrow();
  });

  it('is suspended and resumed with nothing recorded meanwhile, and completed for good', () => {
    const suspended = history(create(), suspend());
    given(suspended).when(milestone()).thenThrows('project.suspended');
    given(suspended).when(suspend()).then([]);
    expect(given(suspended).when(resume()).thenState().status).toBe('active');
    const done = history(create(), complete());
    expect(given(history(create())).when(complete()).thenState()).toMatchObject({ status: 'completed', percent: 100 });
    given(done).when(milestone()).thenThrows('project.completed');
    given(done).when(resume()).thenThrows('project.completed');
    given(done).when(complete()).then([]);
  });
});

describe('the village committee', () => {
  const name = (role: 'president' | 'secretary' | 'treasurer' | 'member', subjectId: string, m: Partial<CommandMeta> = {}) =>
    parseProjectCommand('NameCommitteeMember', { projectId, role, subjectId }, staff(m));
  const committeeAfter = (...commands: ProjectCommand[]) => history(...commands).reduce(projectDecider.evolve, projectDecider.initialState()).committee;

  it('holds one member a role (naming a new president replaces the last) and any number of plain members, by subject id only', () => {
    given(history(create())).when(name('president', 'S-1', agent)).then([expect.objectContaining({ type: 'CommitteeMemberNamed', data: expect.objectContaining({ role: 'president', subjectId: 'S-1', namedBy: 'agent-dschang' }) })]);
    expect(committeeAfter(create(), name('president', 'S-1'), name('member', 'S-2'), name('member', 'S-3'), name('president', 'S-4'))).toEqual([
      { role: 'member', subjectId: 'S-2' },
      { role: 'member', subjectId: 'S-3' },
      { role: 'president', subjectId: 'S-4' },
    ]);
    given(history(create())).when(name('member', 'S-1', { actor: { id: 'C-1', role: 'citizen' }, communeId: null })).thenThrows('project.forbidden');
    given(history(create(), complete())).when(name('member', 'S-1')).thenThrows('project.completed');
  });
});
