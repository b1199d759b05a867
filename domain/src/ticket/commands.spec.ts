import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { meta } from '../testing/given.js';
import { parseTicketCommand, ticketCommandTypes } from './commands.js';

const report = {
  ticketId: 'T-1',
  category: 'salubrite',
  description: 'Le bac du carrefour déborde depuis trois jours',
  location: { lat: 3.9915, lon: 11.5975, accuracy: 12 },
  reporterId: 'citizen-1',
  channel: 'app',
  routing: { communeId: 'soa', quartierId: 'soa-centre', teamId: 'soa-salubrite', rule: { boundary: 'commune:soa/quartier:soa-centre', team: 'category:salubrite' } },
};

/** The dotted paths of every field the schema refused. */
function refusedPaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ZodError);
    return (error as ZodError).issues.map((i) => i.path.join('.'));
  }
  throw new Error('expected the command to be refused');
}

describe('parseTicketCommand', () => {
  it('fills the optional fields of a minimal report with their defaults', () => {
    const command = parseTicketCommand('SubmitReport', report, meta());
    expect(command.data).toMatchObject({ subcategory: null, landmark: null, mediaIds: [], anonymous: false, confidential: false, clientTime: null });
  });

  it('refuses a latitude beyond the pole', () => {
    expect(refusedPaths(() => parseTicketCommand('SubmitReport', { ...report, location: { lat: 91, lon: 11.6, accuracy: null } }, meta()))).toEqual([
      'location.lat',
    ]);
  });

  it('refuses a description of blanks', () => {
    expect(refusedPaths(() => parseTicketCommand('SubmitReport', { ...report, description: '   ' }, meta()))).toEqual(['description']);
  });

  it('refuses a priority that does not exist', () => {
    expect(refusedPaths(() => parseTicketCommand('TriageTicket', { ticketId: 'T-1', priority: 'critical' }, meta()))).toEqual(['priority']);
  });

  it('refuses ids with spaces or slashes, which would break stream names and URLs', () => {
    expect(refusedPaths(() => parseTicketCommand('AssignTicket', { ticketId: 'T 1', teamId: 'soa/voirie' }, meta()))).toEqual(['ticketId', 'teamId']);
  });

  it('refuses metadata without a time zone or an actor role it does not know', () => {
    expect(() => parseTicketCommand('StartWork', { ticketId: 'T-1' }, meta({ now: '2026-03-02 08:00' }))).toThrow(ZodError);
    expect(() => parseTicketCommand('StartWork', { ticketId: 'T-1' }, { ...meta(), actor: { id: 'x', role: 'mayor' } })).toThrow(ZodError);
  });

  it('knows every command the decider handles', () => {
    expect(ticketCommandTypes).toEqual([
      'SubmitReport',
      'ConfirmReport',
      'TriageTicket',
      'AssignTicket',
      'StartWork',
      'AddNote',
      'ResolveTicket',
      'ConfirmResolution',
      'DisputeResolution',
      'CloseTicket',
      'RejectTicket',
      'MarkDuplicate',
    ]);
  });
});
