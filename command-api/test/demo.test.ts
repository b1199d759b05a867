import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Credentials } from '../src/auth/credentials.js';
import { seedDemo } from '../src/seed/demo-seed.js';
import { citizen, eventCount, eventually, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
beforeAll(async () => {
  api = await startTestPalabre({ demoTickets: true });
});
afterAll(async () => {
  await api?.close();
});

describe('the demo data of npm start', () => {
  it('has proposals supported in both communes, answers, and a project under way, and a second start adds nothing', async () => {
    const resident = await citizen(api);
    const proposals = await eventually(async () => {
      const items = (await resident.get('/api/proposals?sort=most_supported')).body.items as { id: string; supports: number; state: string; communeId: string }[];
      return items.length === 3 && items.every((p) => p.supports > 0) && items;
    }, 'the demo proposals and their supports');
    expect(proposals.map((p) => [p.id, p.communeId, p.state, p.supports])).toEqual([
      ['PDEM0DSC00001', 'dschang', 'open', 14],
      ['PDEM0SA000001', 'soa', 'accepted', 9],
      ['PDEM0DSC00002', 'dschang', 'under_study', 6],
    ]);
    const project = await eventually(async () => {
      const reply = await resident.get('/api/projects/JDEM0SA000001');
      return reply.status === 200 && reply.body.percent === 35 && reply.body;
    }, 'the demo project');
    expect(project).toMatchObject({ communeId: 'soa', stage: 'procured', proposalIds: ['PDEM0SA000001'], budget: { planned: 4_200_000, committed: 3_900_000, spent: 1_350_000 } });
    expect(project.milestones).toHaveLength(1);

    const before = await eventCount(api);
    await seedDemo(api.palabre.infra, api.palabre.app.get(Credentials), { password: null, tickets: true });
    expect(await eventCount(api)).toBe(before);
  });
});
